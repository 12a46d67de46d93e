import ArgumentParser
import Dispatch
import Foundation
import GetCourseSandbox

#if canImport(Glibc)
    import Glibc
#endif

extension GCImportCommand {
    /// `gcimport sandbox`: runs a local GetCourse account for rehearsals until Ctrl-C or SIGTERM.
    struct Sandbox: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sandbox",
            abstract: "Run a local GetCourse import API (the sandbox) for rehearsals and tests.",
            discussion: """
                Serves /pl/api/users, /pl/api/deals and the export API on loopback, with GetCourse's answers \
                and error texts. GET /__sandbox/state shows what landed; POST /__sandbox/reset empties it. \
                The key below is the sandbox's own, not a secret. See docs/sandbox.md.
                """
        )

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on (0 picks a free one).")
        var port = 0

        @Option(help: "The API key the sandbox accepts.")
        var key = SandboxConfiguration.defaultKey

        @Option(help: "A second key that may only export; imports with it answer «Действие запрещено».")
        var readOnlyKey: String?

        @Option(
            help: """
                SQLite database that holds the account (created when missing); every call is committed there \
                before it is answered, so a killed sandbox restarts on what it answered. See docs/sandbox.md.
                """)
        var state: String?

        @Option(help: "Seed for the random faults (same seed, same faults for the same requests).")
        var seed: UInt64 = 1

        @Option(help: "Delay before every API answer: MS or MS±JITTER (also MS+-JITTER), in milliseconds.")
        var latency: String?

        @Option(help: "Share (0-1) of API calls answered HTTP 500 without changing anything.")
        var failRate = 0.0

        @Option(help: "Share (0-1) of API calls applied, then closed without an answer.")
        var dropRate = 0.0

        @Option(help: "API calls per second before HTTP 429 with Retry-After, e.g. 5 or 5/s.")
        var rateLimit: String?

        @Option(help: "Objects (users + deals) the plan may create before «Достигнут лимит».")
        var allowance: Int?

        @Flag(help: "Answer every API call with HTTP 200 and an empty body (a plan without API access).")
        var emptyBody = false

        @Option(help: "Answer every API call with 301 to this base URL (an account moved to its own domain).")
        var redirect: String?

        @Flag(help: "Answer every request with HTTP 404 'Wrong subdomain' (an unknown account).")
        var wrongSubdomain = false

        @Flag(help: "Answer every API call with «Доступ возможен только по https».")
        var requireHttps = false

        @Option(
            help: ArgumentHelp(
                "The account's additional fields: the JSON the real /pl/api/account/fields answers, or lines "
                    + "`user: Title` / `deal: Title`.",
                valueName: "file"))
        var fields: String?

        @Option(
            help: ArgumentHelp(
                "Groups the account already has: the JSON the real /pl/api/account/groups answers, or one name "
                    + "per line.",
                valueName: "file"))
        var groups: String?

        @Option(name: .customLong("additional-field"), help: "An additional user field of the account (repeatable).")
        var additionalFields: [String] = []

        @Option(name: .customLong("deal-field"), help: "An additional order field of the account (repeatable).")
        var dealFields: [String] = []

        @Option(help: "Event loop threads serving connections.")
        var threads = 2

        @Option(help: "Export polls answered 909 «Файл еще не создан» before the file is ready.")
        var exportPolls = 2

        @Option(help: "Export API requests allowed per 2 hours.")
        var exportLimit = 100

        @Option(help: "Seconds after which an export is ready even if nobody polled it.")
        var exportBuildSeconds = 30.0

        func validate() throws {
            _ = try Self.latency(latency)
            _ = try Self.rate(rateLimit)
        }

        func run() async throws {
            let (latencyMilliseconds, jitterMilliseconds) = try Self.latency(latency)
            let directory: (fields: [SandboxField], groups: [SandboxGroupSeed])
            do {
                directory = try accountDirectory()
            } catch {
                StandardError.error("\(error)")
                throw ExitCode.usage
            }
            let configuration = SandboxConfiguration(
                host: host, port: port, key: key, readOnlyKey: readOnlyKey, statePath: state, seed: seed,
                latencyMilliseconds: latencyMilliseconds, jitterMilliseconds: jitterMilliseconds, failRate: failRate,
                dropRate: dropRate, rateLimitPerSecond: try Self.rate(rateLimit), allowance: allowance,
                emptyBody: emptyBody, redirectTo: redirect, wrongSubdomain: wrongSubdomain,
                requireHTTPS: requireHttps, exportPollsBeforeReady: exportPolls, exportRequestLimit: exportLimit,
                threads: threads, fields: directory.fields, groups: directory.groups,
                exportBuildSeconds: exportBuildSeconds
            )
            let server = SandboxServer(configuration: configuration)
            do {
                try await server.start()
            } catch let error as SandboxError {
                StandardError.error("\(error)")
                throw ExitCode.usage
            }
            // Written unbuffered: scripts read the URL from a pipe while the sandbox keeps running.
            Self.say(
                """
                GetCourse sandbox listening on \(server.baseURL)
                  API key: \(configuration.key)

                Point the importer at it:
                  export GETCOURSE_API_KEY=\(configuration.key)
                  gcimport run FILE.csv --mapping MAPPING.yaml --endpoint \(server.baseURL)

                What landed:  curl \(server.baseURL)/__sandbox/state
                Start over:   curl -X POST \(server.baseURL)/__sandbox/reset
                Stop with Ctrl-C.
                """
            )
            await Self.waitForTermination()
            try await server.shutdown()
            Self.say("sandbox stopped")
        }

        /// The account's fields and groups from `--fields`, `--groups`, `--additional-field` and `--deal-field`;
        /// the sandbox's default fields when none of the field options is given.
        private func accountDirectory() throws(SandboxError) -> ([SandboxField], [SandboxGroupSeed]) {
            var fields = try self.fields.map(AccountDirectoryFile.fields(path:)) ?? []
            let nextID = (fields.map(\.id).max() ?? 1000) + 1
            for (offset, (title, context))
                in (additionalFields.map { ($0, SandboxField.Context.user) }
                + dealFields.map { ($0, SandboxField.Context.deal) }).enumerated()
            {
                fields.append(SandboxField(id: nextID + offset, title: title, context: context))
            }
            if self.fields == nil && additionalFields.isEmpty && dealFields.isEmpty {
                fields = SandboxConfiguration().fields
            }
            return (fields, try groups.map(AccountDirectoryFile.groups(path:)) ?? [])
        }

        /// Prints a line to stdout at once, whatever the buffering of a pipe or file would do.
        static func say(_ text: String) {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }

        /// Parses `MS`, `MS±JITTER` or `MS+-JITTER`.
        static func latency(_ text: String?) throws -> (Int, Int) {
            guard let text else { return (0, 0) }
            let parts = text.replacingOccurrences("+-", with: "±").split(separator: "±").map(String.init)
            guard (1...2).contains(parts.count), let base = Int(parts[0]), base >= 0,
                let jitter = parts.count == 2 ? Int(parts[1]) : 0, jitter >= 0
            else { throw ValidationError("--latency \(text): expected MS or MS±JITTER, e.g. 200 or 200±50") }
            return (base, jitter)
        }

        /// Parses `N` or `N/s`.
        static func rate(_ text: String?) throws -> Double? {
            guard let text else { return nil }
            let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
            guard let rate = Double(number), rate > 0 else {
                throw ValidationError("--rate-limit \(text): expected calls per second above 0, e.g. 5 or 5/s")
            }
            return rate
        }

        /// Returns on the first SIGINT or SIGTERM.
        static func waitForTermination() async {
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let queue = DispatchQueue(label: "gcimport.sandbox.signals")
            let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
            let sources = [SIGINT, SIGTERM].map { signalNumber in
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { continuation.yield(signalNumber) }
                source.resume()
                return source
            }
            for await _ in stream { break }
            for source in sources { source.cancel() }
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
