import Foundation
import Synchronization
import Testing

@testable import GetCourseSandbox

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `gcimport sandbox --state` killed with SIGKILL while calls stream in, restarted on the same file each
/// time: every call it answered with success is in the account exactly once.
@Suite(.serialized) struct SandboxKillTests {
    /// What one sender saw: the rows answered with success, and every row it sent.
    struct Sent: Sendable {
        var answeredUsers: [String] = []
        var answeredDeals: [String] = []
        var sentDeals: [String] = []
    }

    @Test func killedWhileImportingKeepsEveryAnsweredCallExactlyOnce() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("account.sqlite").path
        var all = Sent()
        for round in 0..<4 {
            let sandbox = try SandboxProcess.start(["--state", state], in: dir)
            let answers = Answers()
            let sent = try await withThrowingTaskGroup(of: Sent.self) { group in
                for sender in 0..<4 {
                    group.addTask { await Self.send(to: sandbox.url, round: round, sender: sender, answers: answers) }
                }
                // Counted rather than timed, so a loaded machine still kills mid-stream, after some answers.
                let killAfter = Int.random(in: 100...400)
                let giveUp = Date() + 60
                while answers.count.load(ordering: .relaxed) < killAfter, Date() < giveUp {
                    try await Task.sleep(for: .milliseconds(5))
                }
                kill(sandbox.process.processIdentifier, SIGKILL)
                sandbox.process.waitUntilExit()
                var sent = Sent()
                for try await part in group {
                    sent.answeredUsers += part.answeredUsers
                    sent.answeredDeals += part.answeredDeals
                    sent.sentDeals += part.sentDeals
                }
                return sent
            }
            #expect(sandbox.process.terminationReason == .uncaughtSignal)
            #expect(sent.answeredUsers.count > 10, "round \(round): the kill came before any call")
            all.answeredUsers += sent.answeredUsers
            all.answeredDeals += sent.answeredDeals
            all.sentDeals += sent.sentDeals
        }
        try await SandboxProcess.with(["--state", state], in: dir) { sandbox in
            let emails = try await sandbox.users().compactMap { $0["email"] as? String }
            let comments = try await sandbox.deals().compactMap { $0["comment"] as? String }
            let userCounts = Dictionary(emails.map { ($0, 1) }, uniquingKeysWith: +)
            let dealCounts = Dictionary(comments.map { ($0, 1) }, uniquingKeysWith: +)
            for email in all.answeredUsers { #expect(userCounts[email] == 1, "\(email)") }
            for comment in all.answeredDeals { #expect(dealCounts[comment] == 1, "\(comment)") }
            // A call cut by the kill may have landed or not, but never twice, and nothing unsent appears.
            #expect(userCounts.values.allSatisfy { $0 == 1 })
            #expect(dealCounts.values.allSatisfy { $0 == 1 })
            #expect(Set(comments).isSubset(of: Set(all.sentDeals)))
        }
    }

    /// Calls answered so far in a round, by all senders.
    final class Answers: Sendable {
        let count = Atomic<Int>(0)
    }

    /// One sender: alternately a new user and a number-less order for it, until the sandbox stops answering.
    static func send(to url: String, round: Int, sender: Int, answers: Answers) async -> Sent {
        var sent = Sent()
        let session = URLSession(configuration: .ephemeral)
        for index in 0..<100_000 {
            let email = "r\(round)-s\(sender)-\(index)@example.com"
            let deal = index % 2 == 1
            let comment = "deal \(email)"
            let json =
                deal
                ? #"{"user":{"email":"\#(email)"},"deal":{"offer_code":"A","deal_cost":10,"deal_comment":"\#(comment)"}}"#
                : #"{"user":{"email":"\#(email)","first_name":"Kill \#(index)"}}"#
            if deal { sent.sentDeals.append(comment) }
            guard let answered = await call(session, url + (deal ? "/pl/api/deals" : "/pl/api/users"), json) else {
                break
            }
            answers.count.add(1, ordering: .relaxed)
            if answered { deal ? sent.answeredDeals.append(comment) : sent.answeredUsers.append(email) }
        }
        session.invalidateAndCancel()
        return sent
    }

    /// true: answered with success; false: answered otherwise; nil: no answer (the sandbox is gone).
    static func call(_ session: URLSession, _ address: String, _ json: String) async -> Bool? {
        guard let url = URL(string: address) else { return nil }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let params = Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "=", with: "%3D")
        request.httpBody = Data("action=add&key=\(SandboxConfiguration.defaultKey)&params=\(params)".utf8)
        request.timeoutInterval = 5
        guard let (data, response) = try? await session.data(for: request) else { return nil }
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return false }
        let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let result = body?["result"] as? [String: Any]
        return (result?["success"] as? Bool) == true
    }
}
