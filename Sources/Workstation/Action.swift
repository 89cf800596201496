/// Everything a key can do. The raw value is the name used in `config.toml` under `[keys]`.
public enum Action: String, CaseIterable, Sendable {
    // Anywhere
    case help, quit, back, cycleTheme = "cycle_theme"
    // Worklist
    case up, down, open, search, cycleSort = "cycle_sort", cycleFilter = "cycle_filter"
    // Viewer: navigation
    case nextSlice = "next_slice", previousSlice = "previous_slice", nextSlicePage = "next_slice_page"
    case previousSlicePage = "previous_slice_page", firstSlice = "first_slice", lastSlice = "last_slice"
    case nextSeries = "next_series", previousSeries = "previous_series", cine
    // Viewer: display
    case widthUp = "width_up", widthDown = "width_down", widthUpCoarse = "width_up_coarse", widthDownCoarse = "width_down_coarse"
    case levelUp = "level_up", levelDown = "level_down", levelUpCoarse = "level_up_coarse", levelDownCoarse = "level_down_coarse"
    case preset1 = "preset_1", preset2 = "preset_2", preset3 = "preset_3", preset4 = "preset_4", preset5 = "preset_5"
    case preset6 = "preset_6", defaultWindow = "default_window"
    case invert, reset, fit, zoomIn = "zoom_in", zoomOut = "zoom_out"
    case panLeft = "pan_left", panRight = "pan_right", panUp = "pan_up", panDown = "pan_down"
    case cursorLeft = "cursor_left", cursorRight = "cursor_right", cursorUp = "cursor_up", cursorDown = "cursor_down"
    case cycleLayout = "cycle_layout", cycleOrientation = "cycle_orientation", togglePrior = "toggle_prior"
    case toggleAnnotations = "toggle_annotations", tagBrowser = "tag_browser", measure
    // Viewer: AI overlay
    case toggleAI = "toggle_ai", toggleHeatmap = "toggle_heatmap", toggleOutlines = "toggle_outlines", cycleOpacity = "cycle_opacity"
    // Viewer: review
    case nextFinding = "next_finding", previousFinding = "previous_finding"
    case accept, reject, correct, addPoint = "add_point", addBox = "add_box", undo, signOff = "sign_off"
    case nextViewport = "next_viewport"
    // Second reader and teaching
    case assess, reveal, stats
    case nextCase = "next_case", previousCase = "previous_case", summary

    /// One line for the help screen.
    public var summary: String {
        switch self {
        case .help: return "this key map"
        case .quit: return "quit"
        case .back: return "back / close"
        case .cycleTheme: return "next theme"
        case .up: return "previous study"
        case .down: return "next study"
        case .open: return "open study"
        case .search: return "search name / ID"
        case .cycleSort: return "sort: priority, date, patient"
        case .cycleFilter: return "filter: all, unread, in progress, signed"
        case .nextSlice: return "next slice"
        case .previousSlice: return "previous slice"
        case .nextSlicePage: return "10 slices on"
        case .previousSlicePage: return "10 slices back"
        case .firstSlice: return "first slice"
        case .lastSlice: return "last slice"
        case .nextSeries: return "next series"
        case .previousSeries: return "previous series"
        case .cine: return "cine on/off"
        case .widthUp: return "window wider (fine)"
        case .widthDown: return "window narrower (fine)"
        case .widthUpCoarse: return "window wider (coarse)"
        case .widthDownCoarse: return "window narrower (coarse)"
        case .levelUp: return "level up (fine)"
        case .levelDown: return "level down (fine)"
        case .levelUpCoarse: return "level up (coarse)"
        case .levelDownCoarse: return "level down (coarse)"
        case .preset1: return "soft tissue window"
        case .preset2: return "lung window"
        case .preset3: return "bone window"
        case .preset4: return "brain window"
        case .preset5: return "stroke window"
        case .preset6: return "mediastinum window"
        case .defaultWindow: return "file's own window"
        case .invert: return "invert"
        case .reset: return "reset W/L, zoom, pan"
        case .fit: return "fit image"
        case .zoomIn: return "zoom in"
        case .zoomOut: return "zoom out"
        case .panLeft, .panRight, .panUp, .panDown: return "pan"
        case .cursorLeft, .cursorRight, .cursorUp, .cursorDown: return "move cursor (value under it)"
        case .cycleLayout: return "layout 1×1, 1×2, 2×2"
        case .cycleOrientation: return "axial / coronal / sagittal"
        case .togglePrior: return "prior exam in hanging"
        case .toggleAnnotations: return "corner annotations on/off"
        case .tagBrowser: return "DICOM tags"
        case .measure: return "measure: set ends at cursor"
        case .toggleAI: return "AI overlay on/off"
        case .toggleHeatmap: return "heatmap on/off"
        case .toggleOutlines: return "finding outlines on/off"
        case .cycleOpacity: return "overlay opacity"
        case .nextFinding: return "next finding (jumps to it)"
        case .previousFinding: return "previous finding"
        case .accept: return "accept finding"
        case .reject: return "reject finding (reason)"
        case .correct: return "correct finding"
        case .addPoint: return "add finding at cursor"
        case .addBox: return "add box finding (two corners)"
        case .undo: return "undo last decision"
        case .signOff: return "sign off study"
        case .nextViewport: return "next view (hanging protocol)"
        case .assess: return "assessment (BI-RADS per breast)"
        case .reveal: return "reveal the AI / the answer"
        case .stats: return "screening statistics"
        case .nextCase: return "next teaching case"
        case .previousCase: return "previous teaching case"
        case .summary: return "teaching session summary"
        }
    }
}
