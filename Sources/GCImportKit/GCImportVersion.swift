/// The version `gcimport --version` prints and the ledger header records.
public enum GCImportVersion {
    public static let current = "0.1.0"
}
