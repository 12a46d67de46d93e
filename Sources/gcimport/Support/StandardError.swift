import Foundation

/// Prints a line to standard error, where diagnostics go so standard output stays parseable.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
