import Foundation
import Testing

@testable import GCImportKit

/// The export table read from bytes gives the cells the JSONSerialization reading gave, keeps only the
/// columns asked for, and refuses what is not one valid JSON document.
struct ExportScannerTests {
    /// The reading `verify` used before: JSONSerialization, every cell as text.
    static func treeTable(_ body: [UInt8]) -> ExportTable? {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        guard let info = object?["info"] as? [String: Any], let fields = info["fields"] as? [Any],
            let items = info["items"] as? [Any]
        else { return nil }
        func text(_ value: Any) -> String {
            switch value {
            case let text as String: text
            case let number as Int: String(number)
            case let number as Double: LenientScalar.text(of: number)
            default: ""
            }
        }
        return ExportTable(fields: fields.map(text), items: items.map { ($0 as? [Any] ?? []).map(text) })
    }

    static func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [
        #"{"success":true,"info":{"fields":["id","Email"],"items":[[1," a@b.ru"],"x",[null,true],[false,{"a":[1]}]]}}"#,
        #"{"info":{"items":[["7","Ж\u0416\n\"q\"\\\/"]],"fields":["id","name"]},"success":true}"#,
        #" { "info" : { "fields" : [ "a" , "b" ] , "items" : [ [ -0 , 1.5 ] , [ 1e3 , -2.50E-1 ] , [ ] ] } } "#,
        #"{"info":{"fields":["a"],"items":[["\ud83d\ude00 emoji"],[[1,2]]]}}"#,
        #"{"info":{"fields":["a","b","c"],"items":[["1","2","3","4"],["1"]]},"info2":[]}"#,
    ])
    func readsWhatTheTreeRead(_ text: String) throws {
        let expected = try #require(Self.treeTable(Self.body(text)))
        let table = try #require(ExportScanner.table(Self.body(text)))
        #expect(table.fields == expected.fields)
        #expect(table.items == expected.items)
    }

    @Test func randomTablesReadAsTheTreeReadThem() throws {
        var generator = SystemRandomNumberGenerator()
        let pool: [Any] = [
            "", " ", "a@b.ru", "Иван", "quote \" and \\ back", "tab\tnew\nline", "\u{1F600}", "\u{0001}", 0, -7, 42,
            1.25, 1e20, true, false, NSNull(), ["nested"], ["k": "v"],
        ]
        for _ in 0..<200 {
            let width = Int.random(in: 0...6, using: &generator)
            let fields = (0..<width).map { "col\($0)" }
            let items: [Any] = (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                (0..<Int.random(in: 0...(width + 1), using: &generator)).map { _ in
                    pool.randomElement(using: &generator)!
                }
            }
            let data = try JSONSerialization.data(withJSONObject: [
                "success": true, "info": ["fields": fields, "items": items],
            ])
            let body = Array(data)
            let expected = try #require(Self.treeTable(body))
            let table = try #require(ExportScanner.table(body), "\(String(decoding: body, as: UTF8.self))")
            #expect(table.items == expected.items, "\(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test func onlyTheKeptColumnsAreRead() throws {
        let body = Self.body(
            #"{"info":{"fields":["id","Имя","Email","Город"],"items":[["1","Иван","a@b.ru","Омск"],["2"],"x"]}}"#)
        let full = try #require(ExportScanner.table(body))
        let kept = try #require(ExportScanner.table(body, keeping: { _ in [2, 0] }))
        #expect(kept.items == [["a@b.ru", "1"], ["", "2"], []])
        for (keptRow, fullRow) in zip(kept.items, full.items) {
            #expect(kept.cell(keptRow, 0) == full.cell(fullRow, 0))
            #expect(kept.cell(keptRow, 2) == full.cell(fullRow, 2))
            #expect(kept.cell(keptRow, 1) == "")
            #expect(kept.cell(keptRow, 9) == "")
        }
    }

    @Test func anIntegerTooLongForIntIsKeptAsWritten() throws {
        // JSONSerialization gave no text at all for it.
        let table = try #require(
            ExportScanner.table(Self.body(#"{"info":{"fields":["id"],"items":[[12345678901234567890]]}}"#)))
        #expect(table.items == [["12345678901234567890"]])
    }

    @Test(arguments: [
        #"{"info":{"fields":["a"],"items":[["1"]]}"#,  // truncated
        #"{"info":{"fields":["a"],"items":[["1"]]}} x"#,  // trailing text
        #"{"info":{"fields":["a"],"items":[["1",]]}}"#,  // trailing comma
        #"{"info":{"fields":["a"],"items":[["\x"]]}}"#,  // bad escape
        #"{"info":{"fields":["a"],"items":[["\ud800"]]}}"#,  // lone surrogate
        #"{"info":{"fields":["a"],"items":[[01]]}}"#,  // leading zero
        #"{"info":{"fields":["a"]}}"#,  // no items
        #"{"info":[]}"#,
        "[]",
        "",
    ])
    func refusesWhatIsNotAnExport(_ text: String) {
        #expect(ExportScanner.table(Self.body(text)) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNestingWithoutCrashing() {
        var bad = Self.body(#"{"info":{"fields":["a"],"items":[["x"]]}}"#)
        bad[bad.count - 6] = 0xFF
        #expect(ExportScanner.table(bad) == nil)
        let deep = Self.body(#"{"info":{"fields":["a"],"items":["# + String(repeating: "[", count: 100_000))
        #expect(ExportScanner.table(deep) == nil)
        #expect(ExportScanner.envelope(deep) == nil)
    }

    @Test func theEnvelopeOfALargeExportIsDecodedWithoutItsInfo() throws {
        let rows = (0..<40_000).map { #"["\#($0)","user\#($0)@example.com"]"# }.joined(separator: ",")
        let body = Self.body(#"{"success":true,"info":{"fields":["id","Email"],"items":[\#(rows)]},"error_code":0}"#)
        #expect(body.count >= GetCourseAnswer.largeBody)
        let envelope = try #require(ExportScanner.envelope(body))
        #expect(String(decoding: envelope, as: UTF8.self) == #"{"success":true,"info":null,"error_code":0}"#)
        let answer = try #require(GetCourseAnswer.decode(body))
        #expect(answer.success?.bool == true)
        guard case .info(let info) = AccountAnswer.read(status: 200, body: body, location: nil, retryAfter: nil) else {
            Issue.record("a large export is not read as info")
            return
        }
        #expect(info.table()?.items.count == 40_000)
        var truncated = body
        truncated.removeLast()
        #expect(GetCourseAnswer.decode(truncated) == nil)
    }

    @Test func verifyKeepsTheColumnsItFindsEitherWay() {
        // «ID заказа» only matches as a prefix, «id» exactly: `require` takes the first, `column` the second.
        let fields = ["id", "ID заказа (внутренний)", "Номер", "Email", "Стоимость, RUB", "Город", "Телефон"]
        let kept = AccountSnapshot.Column.kept(by: .deals)(fields)
        #expect(kept == [0, 1, 2, 3, 4])
        #expect(AccountSnapshot.Column.kept(by: .users)(["Email", "Имя", "id"]) == [0, 2])
    }
}
