// The GetCourse sandbox: a loopback HTTP server that behaves like the import API (see DESIGN.md).
import Logging

/// Errors the sandbox itself raises (not API answers, which are JSON bodies).
package enum SandboxError: Error, CustomStringConvertible, Sendable {
    /// The `--state` file exists but cannot be read back, or cannot be written.
    case stateFile(path: String, reason: String)
    /// A knob has a value the sandbox cannot use.
    case invalidConfiguration(String)
    /// `start()` was called on a server that is already running.
    case alreadyRunning

    package var description: String {
        switch self {
        case .stateFile(let path, let reason):
            "sandbox state file \(path) cannot be used (\(reason)); move it away or pass another --state"
        case .invalidConfiguration(let reason): "sandbox configuration: \(reason)"
        case .alreadyRunning: "the sandbox server is already running; call shutdown() before starting it again"
        }
    }
}

/// Where the sandbox logs; the `gcimport sandbox` command bootstraps the logging system.
package enum SandboxLog {
    static let logger = Logger(label: "gcimport.sandbox")
}
