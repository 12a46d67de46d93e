import ArgumentParser
import GCImportKit

/// The exit statuses, named once in `ExitStatus` (see README "Exit codes"), as ArgumentParser's type.
extension ExitCode {
    init(_ status: ExitStatus) { self.init(status.rawValue) }

    static let problems = ExitCode(ExitStatus.problems)
    static let usage = ExitCode(ExitStatus.usage)
    static let dataError = ExitCode(ExitStatus.dataError)
    static let unavailable = ExitCode(ExitStatus.unavailable)
    static let internalError = ExitCode(ExitStatus.internalError)
    static let cannotCreate = ExitCode(ExitStatus.cannotCreate)
    static let ioError = ExitCode(ExitStatus.ioError)
    static let tryLater = ExitCode(ExitStatus.tryLater)
    static let interrupted = ExitCode(ExitStatus.interrupted)
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
        StandardError.error(message)
        return code
    }
}
