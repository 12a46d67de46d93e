/// Why the ledger cannot be written or read. The text names the file and says what to do.
package struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Code: Sendable, Equatable {
        case unreadable(path: String, reason: String)
        case exists(path: String)
        case locked(path: String)
        case writeFailed(path: String, reason: String)
        case diskFull(path: String)
        case damaged(path: String, line: Int, reason: String)
        case notALedger(path: String)
    }

    let code: Code

    init(_ code: Code) {
        self.code = code
    }

    /// Writing failed (disk full, no permission), as opposed to reading a ledger that cannot be used.
    package var isWriteFailure: Bool {
        switch code {
        case .diskFull, .writeFailed: true
        default: false
        }
    }

    /// The disk filled up: the user frees space and resumes.
    var isDiskFull: Bool {
        if case .diskFull = code { return true }
        return false
    }

    package var description: String {
        switch code {
        case .unreadable(let path, let reason):
            "\(path): cannot read: \(reason)"
        case .exists(let path):
            "\(path): a ledger already exists there; run the same command to resume it, or pass --new-ledger"
        case .locked(let path):
            "\(path): another gcimport process is using this ledger; wait for it to finish or stop it first"
        case .writeFailed(let path, let reason):
            """
            \(path): cannot write the ledger: \(reason). Nothing recorded so far is lost: once the ledger can be \
            written again (space, permissions, a file system mounted read-only), run the same command to resume
            """
        case .diskFull(let path):
            """
            \(path): the disk is full, so the ledger cannot record more rows. Nothing recorded so far is lost: \
            free some space and run the same command again to resume
            """
        case .damaged(let path, let line, let reason):
            """
            \(path):\(line): the ledger line is damaged (\(reason)); it was not written by gcimport or was \
            edited. Restore the file, or start over with --new-ledger
            """
        case .notALedger(let path):
            "\(path): not a gcimport ledger (its first line is not a ledger header)"
        }
    }
}
