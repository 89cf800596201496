/// The `Analysis` module: images + model outputs → findings with probability, location, size and
/// risk category. The clinical scoring rules here (Lung-RADS, Brock, BI-RADS likelihood bands,
/// ABC/2) are pure functions with their sources cited, testable without any model.
public enum AnalysisModule {
    public static let version = "0.1.0"
}
