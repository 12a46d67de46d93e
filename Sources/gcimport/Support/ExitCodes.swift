import ArgumentParser

/// sysexits(3) codes, the contract scripts rely on (see README "Exit codes").
extension ExitCode {
    /// Some rows or problems need attention.
    static let problems = ExitCode(1)
    /// EX_USAGE: the command line is wrong.
    static let usage = ExitCode(64)
    /// EX_DATAERR: the input or mapping cannot be used at all.
    static let dataError = ExitCode(65)
    /// EX_UNAVAILABLE: the service refused the run (bad key, allowance used up, no API on the plan).
    static let unavailable = ExitCode(69)
    /// Stopped by Ctrl-C or SIGTERM.
    static let interrupted = ExitCode(130)
}
