import ArgumentParser
import DICOM
import Foundation
import Review

extension ReviewCommand {
    /// Prints what a Key Object Selection document (which images are key) or a Grayscale Softcopy
    /// Presentation State (each image's window, displayed area and annotations) holds, as
    /// `KeyObjectSelectionReader` and `PresentationStateReader` read them.
    struct ReadKOS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read-kos", abstract: "Print the key images of a KOS, or the per-image view a GSPS gives.")

        @Argument(help: "The Key Object Selection or Grayscale Softcopy Presentation State file.")
        var file: String

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let dicom: DICOMFile
            do { dicom = try DICOMFile.read(URL(fileURLWithPath: file)) } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
            let cls = dicom.dataSet.string(.sopClassUID) ?? dicom.meta.string(.mediaStorageSOPClassUID) ?? ""
            do {
                if cls == PresentationStateDocument.sopClassUID {
                    try show(try PresentationStateReader.read(dicom))
                } else {
                    try show(try KeyObjectSelectionReader.read(dicom))
                }
            } catch let error as ExitCode {
                throw error
            } catch {
                Output.error("\(file): \(error)")
                throw ExitCode(2)
            }
        }

        func show(_ k: KeyObjectSelection) throws {
            if json {
                try Output.json([
                    "kind": "KOS", "sop_instance_uid": k.sopInstanceUID, "study_instance_uid": k.studyInstanceUID,
                    "title": k.title.map { ["code": $0.value, "scheme": $0.scheme, "meaning": $0.meaning] } ?? NSNull(),
                    "note": k.note, "observer": k.observer,
                    "images": k.entries.map { e -> [String: Any] in
                        ["sop_class_uid": e.image.sopClassUID, "sop_instance_uid": e.image.sopInstanceUID,
                         "series_instance_uid": e.image.seriesInstanceUID, "frame": e.image.frame ?? NSNull(),
                         "presentation_state": e.presentationState?.sopInstanceUID ?? NSNull()]
                    },
                ] as [String: Any])
                return
            }
            Output.line("Key object selection in \(file) (study \(k.studyInstanceUID)): \(k.title.map { "\"\($0.meaning)\"" } ?? "untitled")"
                        + (k.observer.isEmpty ? "" : " by \(k.observer)") + ", \(k.entries.count) key image\(k.entries.count == 1 ? "" : "s")")
            if !k.note.isEmpty { Output.line("  note: \(k.note.replacingOccurrences(of: "\n", with: " / "))") }
            for e in k.entries {
                Output.line("  \(e.image.sopInstanceUID)" + (e.image.frame.map { " frame \($0)" } ?? "") + " (series \(e.image.seriesInstanceUID))"
                            + (e.presentationState.map { ", shown with presentation state \($0.sopInstanceUID)" } ?? ""))
            }
        }

        func show(_ p: PresentationState) throws {
            if json {
                try Output.json([
                    "kind": "GSPS", "sop_instance_uid": p.sopInstanceUID, "study_instance_uid": p.studyInstanceUID,
                    "label": p.label, "description": p.contentDescription, "creator": p.creator,
                    "presentation_lut_shape": p.presentationLUTShape,
                    "rescale": p.rescale.map { ["slope": $0.slope, "intercept": $0.intercept, "type": $0.type] as [String: Any] } ?? NSNull(),
                    "images": p.images.map(Self.json),
                ] as [String: Any])
                return
            }
            Output.line("Presentation state in \(file) (study \(p.studyInstanceUID)): \(p.label)" + (p.creator.isEmpty ? "" : " by \(p.creator)")
                        + ", \(p.images.count) image\(p.images.count == 1 ? "" : "s"), LUT \(p.presentationLUTShape.isEmpty ? "table" : p.presentationLUTShape)"
                        + (p.rescale.map { ", rescale \($0.slope)×+\($0.intercept) \($0.type)" } ?? ""))
            for i in p.images {
                let a = i.displayedArea
                Output.line("  \(i.image.sopInstanceUID)" + (i.image.frame.map { " frame \($0)" } ?? "")
                            + (i.window.map { ": window \(Self.number($0.center))/\(Self.number($0.width))" } ?? ": own window")
                            + ", area (\(a.left),\(a.top))-(\(a.right),\(a.bottom))")
                for g in i.graphics {
                    Output.line("    \(g.layer) \(g.kind.rawValue) " + g.points.map { "(\(Self.number($0.x)),\(Self.number($0.y)))" }.joined(separator: " "))
                }
                for t in i.texts {
                    Output.line("    \(t.layer) TEXT \"\(t.text)\" at (\(Self.number(t.anchor.x)),\(Self.number(t.anchor.y)))")
                }
            }
        }

        static func json(_ i: ImagePresentation) -> [String: Any] {
            let a = i.displayedArea
            return [
                "sop_class_uid": i.image.sopClassUID, "sop_instance_uid": i.image.sopInstanceUID,
                "series_instance_uid": i.image.seriesInstanceUID, "frame": i.image.frame ?? NSNull(),
                "window_center": i.windowCenter ?? NSNull(), "window_width": i.windowWidth ?? NSNull(),
                "displayed_area": [a.left, a.top, a.right, a.bottom],
                "graphics": i.graphics.map { ["layer": $0.layer, "type": $0.kind.rawValue, "points": $0.points.flatMap { [$0.x, $0.y] }] as [String: Any] },
                "texts": i.texts.map { ["layer": $0.layer, "text": $0.text, "anchor": [$0.anchor.x, $0.anchor.y]] as [String: Any] },
            ]
        }

        /// A coordinate or window value without a needless ".0".
        static func number(_ v: Double) -> String {
            v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.2f", v)
        }
    }
}
