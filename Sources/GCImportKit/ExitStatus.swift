/// The process exit statuses of every command, named once (sysexits(3) where one fits); the command layer
/// turns them into ArgumentParser's `ExitCode`. The README's "Exit codes" table is the contract.
package enum ExitStatus: Int32, Sendable, Encodable {
    case success = 0
    /// Some rows or problems need attention.
    case problems = 1
    /// EX_USAGE: the command line is wrong.
    case usage = 64
    /// EX_DATAERR: the input, mapping or ledger cannot be used, or (check) the mapping would lose data.
    case dataError = 65
    /// EX_UNAVAILABLE: the service refused the run (bad key, allowance used up, no API on the plan).
    case unavailable = 69
    /// EX_SOFTWARE: the row counts did not add up (a bug).
    case internalError = 70
    /// EX_CANTCREAT: an output file cannot be written.
    case cannotCreate = 73
    /// EX_IOERR: the ledger cannot be written.
    case ioError = 74
    /// EX_TEMPFAIL: try again later (the account's export budget is spent).
    case tryLater = 75
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    case interrupted = 130
}
