import DICOM

/// Which MR sequence an image is, decided from acquisition attributes, never from Series
/// Description (free text that differs by site, vendor and language).
///
/// The rule, first match wins (`identify` documents each step):
/// 1. A derived diffusion map: Image/Frame Type holds ADC (or EADC) → `.adc`.
/// 2. A diffusion b-value (0018,9087) ≥ 500 s/mm², or Image Type TRACEW/TRACE/DIFFUSION with a
///    b-value ≥ 500 → `.dwi`; b-value < 50 → `.dwiB0` (the b = 0 image of a DWI acquisition).
/// 3. Inversion recovery (Scanning Sequence contains IR, or an Inversion Time is present):
///    TI ≥ 1400 ms with TE ≥ 60 ms → `.flair` (fluid nulling at 1.5–3 T needs TI ≈ 1700–2800);
///    TI 300–1300 ms with TE < 30 ms → `.t1` (MPRAGE, T1-FLAIR); TI < 300 ms → `.stir`.
/// 4. Enhanced MR Acquisition Contrast: T1, T2, PROTON_DENSITY, FLUID_ATTENUATED, DIFFUSION, STIR.
/// 5. Spin or gradient echo by timing: TR < 1000 ms and TE < 30 ms → `.t1`; TR ≥ 2000 ms and
///    TE ≥ 70 ms → `.t2`; TR ≥ 1500 ms and TE < 40 ms → `.protonDensity`.
/// 6. Otherwise `.other`: the series is shown, but no sequence-specific model or preset uses it.
public enum MRSequenceKind: String, Sendable, CaseIterable, Codable {
    case t1 = "T1"
    case t2 = "T2"
    case flair = "FLAIR"
    case dwi = "DWI"
    case dwiB0 = "DWI_B0"
    case adc = "ADC"
    case stir = "STIR"
    case protonDensity = "PD"
    case other = "OTHER"

    /// The kind of one frame (the attributes of a stack's first frame stand for the stack).
    public static func identify(_ a: FrameAttributes, scanningSequence: [String] = [],
                                acquisitionContrast: String? = nil) -> MRSequenceKind {
        let type = Set(a.imageType)
        // 1. Derived maps say what they are in Image Type.
        if type.contains("ADC") || type.contains("EADC") { return .adc }
        // 2. Diffusion weighting.
        if let b = a.diffusionBValue {
            if b >= 500 { return .dwi }
            if b < 50 { return .dwiB0 }
        }
        if a.diffusionBValue == nil, type.contains("TRACEW") || type.contains("DIFFUSION") {
            return .dwi
        }
        let te = a.echoTime, tr = a.repetitionTime
        // 3. Inversion recovery: the inversion time decides what is nulled.
        if scanningSequence.contains("IR") || a.inversionTime != nil, let ti = a.inversionTime {
            if ti >= 1400, (te ?? 100) >= 60 { return .flair }
            if ti >= 300, ti <= 1300, (te ?? 0) < 30 { return .t1 }
            if ti < 300 { return .stir }
        }
        // 4. What an Enhanced MR object says it weighted.
        switch acquisitionContrast?.uppercased() {
        case "T1": return .t1
        case "T2": return .t2
        case "PROTON_DENSITY": return .protonDensity
        case "FLUID_ATTENUATED": return .flair
        case "STIR": return .stir
        case "DIFFUSION": return .dwi
        default: break
        }
        // 5. Echo timing.
        if let tr, let te {
            if tr < 1000 && te < 30 { return .t1 }
            if tr >= 2000 && te >= 70 { return .t2 }
            if tr >= 1500 && te < 40 { return .protonDensity }
        }
        return .other
    }

    /// The kind of a stack read from `dataSet` (its first frame's attributes, plus the object's
    /// Scanning Sequence and Acquisition Contrast).
    public static func identify(_ a: FrameAttributes, in dataSet: DataSet) -> MRSequenceKind {
        identify(a, scanningSequence: dataSet.strings(.scanningSequence).map { $0.uppercased() },
                 acquisitionContrast: dataSet.string(.acquisitionContrast))
    }
}
