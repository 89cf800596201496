import CNcurses
import Foundation
import SystemCalls
import TerminalGraphics

/// The terminal side: ncursesw sets the terminal up (raw mode, keypad, mouse, SIGWINCH) and
/// decodes input; the screen is drawn by diffing whole frames of cells with `CellCanvas`, so
/// images and text share one 24-bit, flicker-free path. Pixel-protocol images are written after
/// the cells at their positions. All ncurses calls live in this file.
final class NcursesBackend {
    private let encoder: FrameEncoder
    private let capabilities: TerminalCapabilities

    init(capabilities: TerminalCapabilities, theme: Theme) {
        self.capabilities = capabilities
        encoder = FrameEncoder(capabilities: capabilities, theme: theme)
        setlocale(LC_ALL, "")
        setenv("ESCDELAY", "25", 0)
        initscr()
        raw()
        noecho()
        nonl()
        keypad(lightbox_stdscr(), true)
        curs_set(0)
        mousemask(mmask_t(lightbox_mouse_all()), nil)
        mouseinterval(0)
        refresh()   // ncurses clears once; from here on stdscr is never touched
    }

    var size: (columns: Int, rows: Int) { (Int(lightbox_columns()), Int(lightbox_lines())) }

    func shutdown() {
        write(Array("\u{1B}[0m\u{1B}[2J".utf8))
        write(encoder.kittyCleanup())
        endwin()
    }

    /// After a resize: ncurses resets its view; the next draw repaints everything.
    func invalidate() {
        clear()
        refresh()
        encoder.invalidate()
    }

    /// Waits up to `timeoutMS` for input; nil on timeout.
    func readInput(timeoutMS: Int32) -> Message? {
        timeout(timeoutMS)
        var ch: wint_t = 0
        let rc = get_wch(&ch)
        if rc == ERR { return nil }
        if rc == KEY_CODE_YES {
            let code = Int32(ch)
            switch code {
            case KEY_RESIZE: return .resize(columns: Int(lightbox_columns()), rows: Int(lightbox_lines()))
            case KEY_MOUSE: return mouse()
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_BTAB: return .key(.backTab)
            default:
                for k in 1 ... 12 where code == lightbox_key_f(Int32(k)) { return .key(.function(k)) }
                return nil
            }
        }
        switch ch {
        case 0x0D, 0x0A: return .key(.enter)
        case 0x1B: return .key(.escape)
        case 0x09: return .key(.tab)
        case 0x7F, 0x08: return .key(.backspace)
        case 0x03: return .key(.char("Q"))   // Ctrl-C quits (raw mode delivers it as a byte)
        default:
            guard ch >= 0x20, let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    private func mouse() -> Message? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let b = UInt(event.bstate)
        let row = Int(event.y), col = Int(event.x)
        if b & UInt(lightbox_button4_pressed()) != 0 { return .mouse(MouseEvent(.wheelUp, row: row, column: col)) }
        if b & UInt(lightbox_button5_pressed()) != 0 { return .mouse(MouseEvent(.wheelDown, row: row, column: col)) }
        if b & UInt(lightbox_button1_pressed()) != 0 { return .mouse(MouseEvent(.press, row: row, column: col)) }
        if b & UInt(lightbox_button1_released()) != 0 { return .mouse(MouseEvent(.release, row: row, column: col)) }
        if b & UInt(lightbox_button3_pressed()) != 0 { return .mouse(MouseEvent(.rightPress, row: row, column: col)) }
        if b & UInt(lightbox_mouse_position()) != 0 { return .mouse(MouseEvent(.drag, row: row, column: col)) }
        return nil
    }

    /// Draws a frame; returns the bytes written.
    @discardableResult
    func draw(_ screen: Screen, theme: Theme) -> Int {
        let out = encoder.encode(screen, theme: theme)
        write(out)
        return out.count
    }

    /// All of `bytes` to standard output; a terminal that stops taking bytes drops the rest of the frame.
    private func write(_ bytes: [UInt8]) {
        try? SystemCall.writeAll(1, bytes)
    }
}
