import Foundation
import Testing

@testable import GCImportKit

@Suite struct LedgerEventTests {
    @Test func jsonLineHasTheDocumentedKeysAndOmitsAbsentOnes() throws {
        let event = LedgerEvent(
            row: 12, line: 14, state: .ok, attempt: 1, httpStatus: 200, userID: "189870964",
            t: "2026-11-23T05:00:00.000Z")
        let text = String(decoding: event.jsonLine(), as: UTF8.self)
        #expect(
            text
                == #"{"row":12,"line":14,"state":"ok","attempt":1,"http_status":200,"user_id":"189870964","t":"2026-11-23T05:00:00.000Z"}"#
                + "\n")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["deal_id"] == nil)
    }

    @Test(arguments: [
        "Неверный email \"a@b\"",
        "back\\slash\tand\ncontrol \u{01}",
        "",
        "emoji 🎓 and cyrillic Достигнут лимит",
    ])
    func errorsRoundTripExactly(message: String) throws {
        let event = LedgerEvent(
            row: 1, line: 2, state: .rejected, attempt: 3, httpStatus: 200, dealID: "77", dealNumber: "A-1",
            error: message, t: "2026-11-23T05:00:00.000Z")
        let line = event.jsonLine()
        // Valid JSON for any other reader, and read back identically by ours.
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line)) }
        let parsed = try LedgerEventParser.parse(line.dropLast())
        #expect(parsed == event)
    }

    @Test func parserAcceptsOtherKeyOrderNumericIdsAndUnknownKeys() throws {
        let line = Array(#"{ "state" : "ok", "t":"x", "extra": [1], "row": 5, "line": 9, "user_id": 42 }"#.utf8)
        // Arrays are not part of the format: unknown keys must hold scalars.
        #expect(throws: LedgerEventParser.Failure.self) { try LedgerEventParser.parse(line[...]) }
        let plain = Array(#"{ "state" : "ok", "t":"x", "extra": true, "row": 5, "line": 9, "user_id": 42 }"#.utf8)
        let event = try LedgerEventParser.parse(plain[...])
        #expect(event.row == 5 && event.line == 9 && event.state == .ok && event.userID == "42")
    }

    @Test(arguments: [
        #"{"row":1,"line":1}"#,
        #"{"row":"1","line":1,"state":"ok"}"#,
        #"{"row":1,"line":1,"state":"done"}"#,
        #"{"row":1,"line":1,"state":"ok""#,
        #"{"row":1,"line":1,"state":"ok"} trailing"#,
    ])
    func parserRejectsDamagedLines(text: String) {
        #expect(throws: LedgerEventParser.Failure.self) { try LedgerEventParser.parse(Array(text.utf8)[...]) }
    }

    @Test(arguments: RowState.allCases)
    func essentialsOfWrittenLinesAgreeWithTheFullParser(state: RowState) throws {
        var sent = LedgerEvent(row: 1_000_000, line: 1_000_001, state: state, attempt: 12, t: "x")
        sent.rate = 12.34
        let lines = [
            sent,
            LedgerEvent(row: 7, line: 9, state: state, error: "a \"quoted\", {braced} text", t: "x"),
            LedgerEvent(row: 3, line: 3, state: state, attempt: 2, httpStatus: 429, userID: "5", t: "x"),
        ].map { $0.jsonLine().dropLast() }
        for line in lines {
            let full = try LedgerEventParser.parse(line)
            let essentials = try #require(LedgerEventParser.essentials(of: line))
            #expect(essentials.row == full.row)
            #expect(essentials.state == full.state)
            #expect(essentials.attempt == full.attempt)
            #expect(full.rate == (line.starts(with: #"{"row":1000000"#.utf8) ? 12.34 : nil))
        }
    }

    @Test(arguments: [
        #"{ "state" : "ok", "row": 5, "line": 9 }"#,
        #"{"row":1,"line":1,"state":"done"}"#,
        #"{"row":1,"line":1,"state":"ok"} trailing"#,
        #"{"row":1,"line":1,"state":"o\u006b"}"#,
        #"{"row":1,"line":1,"state":"ok","attempt":"2"}"#,
        #"{"row":1,"line":1,"state":"ok","t":"x","state":"failed"}"#,
        #"{"row":1,"line":1,"state":"ok","attempt":1,"row":2}"#,
        // Found by the ledger fuzz target: a damaged value after the essentials, which the full parser refuses.
        #"{"row":1,"line":2,"state":"ok","attempt":1,"http_status":20202%-01-01T00:00:00.311Z"}"#,
        #"{"row":1,"line":2,"state":"ok","error":"bad \u12"}"#,
        #"{"row":1,"line":2,"state":"ok","extra":[1]}"#,
        #"{"row":1,"line":2,"state":"ok","t":"x"} "#,
        #"{"row":1,"line":2,"state":"ok","n":1-2}"#,
    ])
    func essentialsLeaveEveryOtherFormToTheFullParser(text: String) {
        #expect(LedgerEventParser.essentials(of: Array(text.utf8)[...]) == nil)
    }

    @Test(arguments: [
        #"{"row":1,"line":2,"state":"ok","attempt":1,"http_status":200,"user_id":"5","t":"x"}"#,
        #"{"row":1,"line":2,"state":"sent","attempt":2,"rate":12.5,"t":"2026"}"#,
        #"{"row":1,"line":2,"state":"rejected","error":"\"q\" \u0416 \\ \/","verified":"x","t":"x"}"#,
        #"{"row":1,"line":2,"state":"ok","flag":true,"nothing":null,"t":"x"}"#,
    ])
    func essentialsAcceptWhatTheFullParserAccepts(text: String) throws {
        let line = Array(text.utf8)[...]
        let full = try LedgerEventParser.parse(line)
        let essentials = try #require(LedgerEventParser.essentials(of: line))
        #expect((essentials.row, essentials.state, essentials.attempt) == (full.row, full.state, full.attempt))
    }

    @Test func clockFormatsAndParsesMilliseconds() throws {
        let stamp = LedgerClock.format(secondsSince1970: 1_795_000_000.25)
        #expect(stamp == "2026-11-18T11:06:40.250Z")
        let seconds = try #require(LedgerClock.parse(stamp))
        #expect(abs(seconds - 1_795_000_000.25) < 0.001)
        #expect(LedgerClock.parse("yesterday") == nil)
    }

    @Test func doneStatesAreTheOnesNeverResent() {
        #expect(RowState.allCases.filter(\.isDone) == [.ok, .rejected, .invalid, .skipped])
    }
}
