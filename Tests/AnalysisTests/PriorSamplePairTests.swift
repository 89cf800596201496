import Foundation
import Imaging
import Inference
import XCTest
@testable import Analysis

/// The sample LDCT pairs (05 ← 13, 06 ← 14) against their sidecars' `prior` block: the prior is
/// found among SampleStudies by `PriorStudyQuery`, the registration agrees with the generator's
/// pose, and each lesion has the truth's status, a volume doubling time within 25 %, and the
/// resolved lesion is listed. Categories with comparison are checked where the comparison decides
/// (growing and stable lesions); a new lesion's category follows from its measured size and type.
final class PriorSamplePairTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testSampleLDCTPairsAgainstSidecars() throws {
        let models = repo.appendingPathComponent("Models")
        let samples = repo.appendingPathComponent("SampleStudies")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("ldct-nodule-v1.onnx").path),
              FileManager.default.fileExists(atPath: samples.appendingPathComponent("13_LDCT_YAMADA_2025").path) else {
            throw XCTSkip("no Models/ or no sample priors")
        }
        let catalog = try ModelCatalog(folder: models)
        let all = StudyIndex.scan([samples.path], cache: nil).studies
        for (current, prior) in [("05_LDCT_YAMADA_2026", "13_LDCT_YAMADA_2025"), ("06_LDCT_DMITRI_2026", "14_LDCT_DMITRI_2025")] {
            let gt = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: samples.appendingPathComponent("\(current)/ground_truth.json"))) as? [String: Any])
            let truth = try XCTUnwrap(gt["prior"] as? [String: Any])
            let study = try XCTUnwrap(all.first { $0.studyInstanceUID == gt["study_instance_uid"] as? String })
            let found = try XCTUnwrap(PriorStudyQuery(for: study).priors(in: all).first, "\(current): no prior found")
            XCTAssertEqual(found.studyInstanceUID, truth["study_instance_uid"] as? String, "\(current): the prior is \(prior)")
            let result = StudyAnalysis.analyze(study, prior: found, catalog: catalog)
            let run = try XCTUnwrap(result.runs.first { $0.registration != nil }, "\(current): compared")
            let reg = try XCTUnwrap(run.registration)
            let trueM = RigidTransform(matrix: try XCTUnwrap((truth["registration"] as? [String: Any])?["matrix"] as? [[Double]]))
            let lesions = try XCTUnwrap(truth["lesions"] as? [[String: Any]])
            func dist(_ a: [Double], _ b: [Double]) -> Double { sqrt(zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }) }
            for les in lesions {
                let id = les["lesion_id"] as! String, status = les["status"] as! String
                let centers = les["center_mm"] as! [String: Any]
                let means = les["mean_diameter_mm"] as! [String: Any]
                let size = [means["prior"], means["current"]].compactMap { $0 as? Double }.max() ?? 5
                let radius = max(5, size / 2)
                if let c = centers["current"] as? [Double] {
                    XCTAssertLessThan(dist(reg.transform.apply(c), trueM.apply(c)), 3, "\(current) \(id): registration at the lesion")
                }
                if status == "resolved" {
                    let p = try XCTUnwrap(centers["prior"] as? [Double])
                    XCTAssertTrue((run.resolved ?? []).contains { dist($0.centerMM, p) <= radius }, "\(current) \(id): resolved")
                    continue
                }
                let c = try XCTUnwrap(centers["current"] as? [Double])
                guard let f = result.findings.first(where: { dist($0.centerMM, c) <= radius }) else {
                    XCTFail("\(current) \(id): not found"); continue
                }
                let pc = try XCTUnwrap(f.prior)
                XCTAssertEqual(pc.status.rawValue, status, "\(current) \(id)")
                if status != "new", let p = centers["prior"] as? [Double] {
                    XCTAssertLessThanOrEqual(dist(try XCTUnwrap(pc.centerMM), p), radius, "\(current) \(id): matched to the same lesion")
                }
                if status == "growing", let t = les["volume_doubling_days"] as? Double {
                    let v = try XCTUnwrap(pc.volumeDoublingDays, "\(current) \(id): VDT")
                    XCTAssertLessThanOrEqual(abs(v - t), 0.25 * t, "\(current) \(id): VDT \(v) d vs \(t) d")
                }
                if status == "growing" || status == "stable", let want = (les["lung_rads"] as? [String: Any])?["current"] as? String {
                    XCTAssertEqual(f.category, want, "\(current) \(id): Lung-RADS with comparison")
                }
            }
        }
    }
}
