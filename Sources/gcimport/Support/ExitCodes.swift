import ArgumentParser

/// sysexits(3) codes, the contract scripts rely on (see README "Exit codes").
extension ExitCode {
    /// Some rows or problems need attention.
    static let problems = ExitCode(1)
    /// EX_USAGE: the command line is wrong.
    static let usage = ExitCode(64)
    /// EX_DATAERR: the input or mapping cannot be used at all, or (check) would lose data.
    static let dataError = ExitCode(65)
    /// EX_UNAVAILABLE: the service refused the run (bad key, allowance used up, no API on the plan).
    static let unavailable = ExitCode(69)
    /// EX_SOFTWARE: the row counts did not add up (a bug).
    static let internalError = ExitCode(70)
    /// EX_CANTCREAT: an output file cannot be written.
    static let cannotCreate = ExitCode(73)
    /// EX_IOERR: the ledger cannot be written.
    static let ioError = ExitCode(74)
    /// EX_TEMPFAIL: try again later (the account's export budget is spent).
    static let tryLater = ExitCode(75)
    /// Stopped by Ctrl-C or SIGTERM.
    static let interrupted = ExitCode(130)
}

/// A command that cannot go on: the message for stderr and the exit status. Commands throw it up to
/// their `run()`, which prints it and throws the code, so nothing below the command layer exits the process.
struct CommandFailure: Error {
    var message: String
    var code: ExitCode

    init(_ message: String, code: ExitCode) {
        self.message = message
        self.code = code
    }

    /// Prints the message as `gcimport: error: …` and returns the code to throw.
    func report() -> ExitCode {
        StandardError.emit("gcimport: error: " + message)
        return code
    }
}
