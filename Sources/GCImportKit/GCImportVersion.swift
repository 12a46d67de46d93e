/// The version `gcimport --version` prints and the ledger header records.
package enum GCImportVersion {
    package static let current = "0.1.0"
}
