/// The SOP classes the SCP accepts: Verification, and the storage classes whose objects Lightbox can
/// display or read (images and structured reports). Anything else — waveforms, raw data, spectroscopy,
/// RT plans — is refused at negotiation time with "abstract syntax not supported".
public enum StorageSOPClasses {
    public static let verification = "1.2.840.10008.1.1"

    public static let supported: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.1", // CR Image
        "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1", // DX for presentation / processing
        "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1", // MG for presentation / processing
        "1.2.840.10008.5.1.4.1.1.1.3", "1.2.840.10008.5.1.4.1.1.1.3.1", // Intra-oral X-ray
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.2.2", // CT, Enhanced CT, Legacy CT
        "1.2.840.10008.5.1.4.1.1.3.1", // US Multi-frame
        "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.4.4", // MR, Enhanced MR, Legacy MR
        "1.2.840.10008.5.1.4.1.1.6.1", // US Image
        "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2",
        "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4", // Secondary Capture family
        "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.2", // XA, RF
        "1.2.840.10008.5.1.4.1.1.13.1.3", "1.2.840.10008.5.1.4.1.1.13.1.4", // Breast Tomosynthesis, Breast Projection X-Ray (presentation)
        "1.2.840.10008.5.1.4.1.1.20", // NM
        "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.130", // PET, Enhanced PET
        "1.2.840.10008.5.1.4.1.1.77.1.4", // VL Photographic
        "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33",
        "1.2.840.10008.5.1.4.1.1.88.34", "1.2.840.10008.5.1.4.1.1.88.59", // SR Basic/Enhanced/Comprehensive/3D, Key Object Selection
        "1.2.840.10008.5.1.4.1.1.66.4", // Segmentation
    ]
}
