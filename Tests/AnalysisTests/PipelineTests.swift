import Foundation
import Imaging
import XCTest
@testable import Analysis

final class PipelineTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testResampleIdentityHalvingAndBilinear() {
        let src: [Float] = [0, 2, 4, 6,
                            2, 4, 6, 8]
        XCTAssertEqual(VolumeAnalyzer.resample(src, width: 4, height: 2, toWidth: 4, toHeight: 2), src)
        XCTAssertEqual(VolumeAnalyzer.resample(src, width: 4, height: 2, toWidth: 2, toHeight: 1), [2, 6])
        let up = VolumeAnalyzer.resample([0, 1], width: 2, height: 1, toWidth: 4, toHeight: 1)
        XCTAssertEqual(up, [0, 0.25, 0.75, 1])
    }

    /// deepbet's card (real weights, 3-D) says `runs_in_analysis: false`: it is in the catalog but
    /// never matched to a series, not even an MR brain study or a NIfTI volume.
    func testCardThatDoesNotRunInAnalysisNeverMatches() throws {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("deepbet-bbox-v1.json").path) else {
            throw XCTSkip("no deepbet card")
        }
        let catalog = try ModelCatalog(folder: models)
        let deepbet = try XCTUnwrap(catalog.entries.first { $0.card.id == "deepbet-bbox-v1" })
        XCTAssertEqual(deepbet.card.runsInAnalysis, false)
        XCTAssertTrue(deepbet.verified)
        XCTAssertNil(deepbet.cardProblem, "a card the pipeline never runs needs no candidate rule")
        XCTAssertEqual(deepbet.card.intendedUse.modality, "MR")
        for folder in ["SampleStudies/16_MR_BRAIN_GRETA_2026", "Tests/Fixtures/nifti/float32_qform_only.nii"] {
            let index = StudyIndex.scan([repo.appendingPathComponent(folder).path], cache: nil)
            let series = try XCTUnwrap(index.studies.first?.series.first, folder)
            XCTAssertFalse(catalog.applicable(to: series).contains { $0.entry.card.id == "deepbet-bbox-v1" }, folder)
            // The same card with the flag absent (and a heatmap task, which the pipeline runs) would
            // match: the flag is what keeps it out.
            var card = deepbet.card
            card.runsInAnalysis = nil
            card.task = .heatmap
            let unflagged = ModelCatalog(entries: [ModelCatalog.Entry(card: card, url: deepbet.url, verified: true)])
            XCTAssertEqual(unflagged.applicable(to: series).count, 1, folder)
        }
    }

    func testCatalogMatchesCardsToSeriesAndFlagsSpacing() throws {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.path) else { throw XCTSkip("no Models/ folder") }
        let catalog = try ModelCatalog(folder: models)
        XCTAssertFalse(catalog.entries.isEmpty)
        XCTAssertTrue(catalog.entries.allSatisfy(\.verified), "a card's sha256 does not match its model")
        let index = StudyIndex.scan([repo.appendingPathComponent("SampleStudies/11_CT_HEAD_CARLOS_2026").path], cache: nil)
        let series = try XCTUnwrap(index.studies.first?.series.first)
        let fits = catalog.applicable(to: series)
        XCTAssertEqual(fits.map(\.entry.card.intendedUse.bodyPart), ["HEAD"])
        XCTAssertEqual(fits.first?.ood, [])
        // The same series with another pixel spacing is out of the card's validated range.
        var shifted = series
        shifted.instances = series.instances.map { var h = $0; h.pixelSpacing = [0.4, 0.4]; return h }
        XCTAssertEqual(catalog.applicable(to: shifted).first?.ood.count, 1)
        // Without a usable spacing (missing, or zero) the series cannot be shown to fit: flagged, so
        // the default policy withholds the run and says why.
        for spacing in [[], [0.0, 0.0]] {
            var bare = series
            bare.instances = series.instances.map { var h = $0; h.pixelSpacing = spacing; return h }
            let ood = try XCTUnwrap(catalog.applicable(to: bare).first?.ood)
            XCTAssertEqual(ood.count, 1, "\(spacing)")
            XCTAssertTrue(ood.first?.hasPrefix(PixelGeometry.missingSpacingText) == true, "\(ood)")
        }
    }

    /// A volume whose files give no usable spacing is built on an assumed 1 mm grid, and the load
    /// says so in its warnings (the analysis passes them on to the reader).
    func testVolumeWithoutPixelSpacingSaysItAssumedOneMillimetre() throws {
        let index = StudyIndex.scan([repo.appendingPathComponent("SampleStudies/11_CT_HEAD_CARLOS_2026").path], cache: nil)
        let series = try XCTUnwrap(index.studies.first?.series.first)
        let known = try SeriesLoader.volume(of: series.instances)
        XCTAssertFalse(known.pixelSpacingAssumed)
        XCTAssertFalse(known.warnings.contains { $0.hasPrefix(PixelGeometry.missingSpacingText) })
        let bare = try SeriesLoader.volume(of: series.instances.map { var h = $0; h.pixelSpacing = []; return h })
        XCTAssertTrue(bare.pixelSpacingAssumed)
        XCTAssertEqual(bare.volume.spacing.row, 1)
        XCTAssertEqual(bare.volume.spacing.column, 1)
        XCTAssertTrue(bare.warnings.contains { $0.hasPrefix(PixelGeometry.missingSpacingText) }, "\(bare.warnings)")
    }
}
