// swift-tools-version:6.0
//
// Lightbox — a terminal radiology reading workstation.
//
// Module map (see docs/ARCHITECTURE.md): data flows one way,
//   DICOM → Imaging → Analysis → Review, with Inference beside Analysis,
//   TerminalGraphics beside Imaging, and Workstation / lightbox on top.
// Every C library is reached through exactly one `C…` system-library shim target.
import PackageDescription

/// Shim targets: one per Debian C library, each a module map and a header.
let shims: [Target] = [
    .systemLibrary(name: "CZlib", path: "Sources/Shims/CZlib", pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "COpenJPEG", path: "Sources/Shims/COpenJPEG", pkgConfig: "libopenjp2",
                   providers: [.apt(["libopenjp2-7-dev"])]),
    .systemLibrary(name: "CCharLS", path: "Sources/Shims/CCharLS", pkgConfig: "charls",
                   providers: [.apt(["libcharls-dev"])]),
    .systemLibrary(name: "CPNG", path: "Sources/Shims/CPNG", pkgConfig: "libpng",
                   providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "COpenBLAS", path: "Sources/Shims/COpenBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
    // oneDNN: JIT convolution, deconvolution and pooling for Inference's DNNL backend (no .pc file).
    .systemLibrary(name: "CDNNL", path: "Sources/Shims/CDNNL", providers: [.apt(["libdnnl-dev"])]),
    .systemLibrary(name: "CNcurses", path: "Sources/Shims/CNcurses", pkgConfig: "ncursesw",
                   providers: [.apt(["libncursesw5-dev"])]),
    .systemLibrary(name: "CSQLite", path: "Sources/Shims/CSQLite", pkgConfig: "sqlite3",
                   providers: [.apt(["libsqlite3-dev"])]),
    // libpq: the shared PostgreSQL review store (Review/Postgres). Its blocking API fits the synchronous
    // `ReviewDatabase` protocol; see docs/REVIEW_POSTGRES.md for why not PostgresNIO.
    .systemLibrary(name: "CLibPQ", path: "Sources/Shims/CLibPQ", pkgConfig: "libpq",
                   providers: [.apt(["libpq-dev"])]),
]

let package = Package(
    name: "Lightbox",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lightbox", targets: ["lightbox"]),
        .library(name: "DICOM", targets: ["DICOM"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "TerminalGraphics", targets: ["TerminalGraphics"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "Review", targets: ["Review"]),
        .library(name: "Workstation", targets: ["Workstation"]),
        .library(name: "DICOMNetwork", targets: ["DICOMNetwork"]),
        .library(name: "DICOMweb", targets: ["DICOMweb"]),
        .library(name: "LightboxConfig", targets: ["LightboxConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // DIMSE (C-ECHO / C-STORE SCP) runs on SwiftNIO's event loops.
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
    ],
    targets: shims + [
        // The one growable, bounds-checked byte writer: sixel and SGR output, DICOM PDUs. No dependencies,
        // so TerminalGraphics and DICOMNetwork (which share no other module) both build on it.
        .target(name: "ByteWriting"),
        // The one wrapper over POSIX calls (open, read, write, rename, stat, poll, …): throws SystemCallError
        // with errno, retries on EINTR. No dependencies, so every module that touches files or the terminal can use it.
        .target(name: "SystemCalls"),
        .target(name: "Parallel", dependencies: ["SystemCalls"]),
        // Pure codecs: compressed bytes → stored sample values. No data-set knowledge. JPEG is decoded
        // in Swift (Debian's libjpeg-turbo 2.1 is 8-bit only and cannot do lossless or report errors safely).
        .target(name: "DICOMCodecs", dependencies: ["COpenJPEG", "CCharLS"]),
        // Bytes → data sets, pixel-data frames; the dictionary and character sets.
        .target(name: "DICOM", dependencies: ["DICOMCodecs", "SystemCalls", "CZlib"]),
        // Data sets → images and volumes in physical space; PNG import/export; NIfTI volumes (gzip via CZlib);
        // the study index store (SQLite).
        .target(name: "Imaging", dependencies: ["DICOM", "SystemCalls", "Parallel", "CPNG", "CSQLite", "CZlib"]),
        // RGB images (+ overlays) → terminal bytes.
        .target(name: "TerminalGraphics", dependencies: ["ByteWriting", "SystemCalls", "CZlib"]),
        // ONNX models → tensors on OpenBLAS, or on oneDNN where it runs (docs/INFERENCE_BACKENDS.md).
        .target(name: "Inference", dependencies: ["COpenBLAS", "CDNNL", "Parallel", "SystemCalls"]),
        // Images + model outputs → findings (components, sizes, Lung-RADS, Brock, BI-RADS, ABC/2).
        .target(name: "Analysis", dependencies: ["DICOM", "Imaging", "Inference", "Parallel"]),
        // Findings + reader decisions → durable records (SQLite or PostgreSQL store, audit trail, exports).
        // Reports leave as DICOM (TID 1500 SR), so Review writes data sets through the DICOM module;
        // discordance matching and teaching scores measure in mm through Imaging's PixelGeometry.
        .target(name: "Review", dependencies: ["CSQLite", "CLibPQ", "DICOM", "Imaging", "Analysis"]),
        // PACS connectivity, DIMSE side: association negotiation, C-ECHO and C-STORE SCP on SwiftNIO.
        .target(name: "DICOMNetwork", dependencies: [
            "DICOM", "DICOMCodecs", "ByteWriting", "SystemCalls",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // PACS connectivity, web side: QIDO-RS, WADO-RS and STOW-RS client.
        .target(name: "DICOMweb", dependencies: ["DICOM", "SystemCalls"]),
        // Config files → values: the one TOML parser; themes (→ TerminalGraphics.Theme), the
        // workstation's settings and key bindings, and archives (→ DICOMweb.ArchiveRegistry).
        .target(name: "LightboxConfig", dependencies: ["TerminalGraphics", "DICOMweb"], path: "Sources/Config"),
        // The ncurses reading room: it owns the terminal; everything below is usable without one.
        .target(name: "Workstation", dependencies: ["DICOM", "Imaging", "TerminalGraphics", "Analysis", "Inference", "Review", "LightboxConfig", "DICOMweb", "SystemCalls", "Parallel", "CNcurses"]),
        .executableTarget(
            name: "lightbox",
            dependencies: [
                "DICOM", "Imaging", "TerminalGraphics", "Inference", "Analysis", "Review", "Workstation",
                "DICOMNetwork", "DICOMweb", "LightboxConfig", "SliceStepBench", "SystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmark harness for the terminal encoders; compared with chafa by Benchmarks/terminal-graphics.sh.
        .executableTarget(name: "TerminalGraphicsBench", dependencies: ["TerminalGraphics"],
                          path: "Benchmarks/TerminalGraphicsBench"),
        // Benchmark harness for DICOM indexing and volume loading; compared with pydicom/DCMTK by Benchmarks/dicom.sh.
        .executableTarget(name: "DICOMBench", dependencies: ["DICOM", "Imaging"], path: "Benchmarks/DICOMBench"),
        // Slice-step latency and bytes through the workstation's update → view → encode path, without a
        // terminal; a library so `lightbox open --benchmark-slices N` (make bench) runs it.
        .target(name: "SliceStepBench", dependencies: ["Workstation", "Imaging", "TerminalGraphics"],
                path: "Benchmarks/SliceStepBench"),
        .testTarget(name: "ByteWritingTests", dependencies: ["ByteWriting"]),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls"]),
        .testTarget(name: "DICOMCodecsTests", dependencies: ["DICOMCodecs", "CCharLS"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "TerminalGraphicsTests", dependencies: ["TerminalGraphics", "CZlib"]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "ReviewTests", dependencies: ["Review", "DICOM", "Imaging", "Analysis", "TestSupport"]),
        .testTarget(name: "NetworkTests", dependencies: [
            "DICOMNetwork", "DICOMweb", "DICOM",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "ParallelTests", dependencies: ["Parallel", "SystemCalls"]),
        .testTarget(name: "WorkstationTests", dependencies: ["Workstation", "Analysis", "SliceStepBench", "SystemCalls", "TestSupport"],
                    exclude: ["Goldens"]),
        .testTarget(name: "ConfigTests", dependencies: ["LightboxConfig", "TerminalGraphics", "DICOMweb"]),
        // Golden outputs of the `lightbox` executable (--help of every command, info, ls --json,
        // analyze --json). It runs the built binary ($LIGHTBOX, else the one beside the test bundle);
        // `swift test` builds it with everything else. UPDATE_GOLDENS=1 rewrites Goldens/.
        .testTarget(name: "lightboxTests", dependencies: ["TestSupport"], exclude: ["Goldens"]),
    ],
    swiftLanguageModes: [.v6]
)
