import DICOM
import Foundation
import Imaging
import Review

/// The key images and presentation states a study folder holds as DICOM documents: Key Object
/// Selection files (ours from `lightbox review export --kos`, or another system's) and Grayscale
/// Softcopy Presentation States (`--gsps`). Read once per opening, off the UI loop
/// (`Effect.loadKeyObjects`); a damaged or foreign file is skipped and counted, never fatal.
public struct StudyKeyObjects: Sendable, Equatable {
    /// Images a KOS flags, with the presentation state the KOS names for each (if any).
    public var entries: [KeyObjectSelection.Entry] = []
    /// Every presentation state in the study, in study order.
    public var states: [PresentationState] = []
    /// Files that looked like KOS or GSPS but could not be read.
    public var unreadable = 0

    public init(entries: [KeyObjectSelection.Entry] = [], states: [PresentationState] = [], unreadable: Int = 0) {
        self.entries = entries; self.states = states; self.unreadable = unreadable
    }

    public var isEmpty: Bool { entries.isEmpty && states.isEmpty }

    /// Whether a study has any document worth reading (so opening a plain study asks for nothing).
    public static func present(in study: StudyIndex.Study) -> Bool {
        study.series.contains { $0.instances.contains { isDocument($0.sopClassUID) } }
    }

    static func isDocument(_ sopClass: String) -> Bool {
        sopClass == KeyObjectSelectionDocument.sopClassUID || sopClass == PresentationStateDocument.sopClassUID
    }

    /// Reads every KOS and GSPS file of `study` (file I/O: call off the UI loop).
    public static func read(_ study: StudyIndex.Study) -> StudyKeyObjects {
        var out = StudyKeyObjects()
        for inst in study.series.flatMap(\.instances) where isDocument(inst.sopClassUID) {
            do {
                let file = try DICOMFile.read(URL(fileURLWithPath: inst.path))
                if inst.sopClassUID == KeyObjectSelectionDocument.sopClassUID {
                    out.entries += try KeyObjectSelectionReader.read(file).entries
                } else {
                    out.states.append(try PresentationStateReader.read(file))
                }
            } catch {
                out.unreadable += 1
            }
        }
        return out
    }

    /// Whether a KOS flags the image (frame `frame`, or the whole image).
    public func isKey(_ sopUID: String, frame: Int?) -> Bool {
        entries.contains { $0.image.sopInstanceUID == sopUID && ($0.image.frame == nil || frame == nil || $0.image.frame == frame) }
    }

    /// How the documents say to show the image: the presentation state the KOS names for it first,
    /// then any other state that names the image (the last in study order: usually the newest export).
    public func presentation(for sopUID: String, frame: Int?) -> (presentation: ImagePresentation, state: PresentationState)? {
        let named = Set(entries.filter { $0.image.sopInstanceUID == sopUID }.compactMap(\.presentationState?.sopInstanceUID))
        for s in states where named.contains(s.sopInstanceUID) {
            if let p = s.presentation(for: sopUID, frame: frame) { return (p, s) }
        }
        for s in states.reversed() {
            if let p = s.presentation(for: sopUID, frame: frame) { return (p, s) }
        }
        return nil
    }
}
