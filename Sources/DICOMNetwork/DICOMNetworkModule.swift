/// The `DICOMNetwork` module: DIMSE over TCP (PS3.7 / PS3.8) — association negotiation, C-ECHO and a
/// C-STORE SCP that receives pushed studies. Built on SwiftNIO; knows nothing about terminals or AI.
public enum DICOMNetworkModule {
    public static let version = "0.1.0"
}
