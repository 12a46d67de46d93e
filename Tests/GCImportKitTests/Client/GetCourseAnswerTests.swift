import Testing

@testable import GCImportKit

/// The typed reading of GetCourse's loosely typed answers.
@Suite struct GetCourseAnswerTests {
    private func answer(_ json: String) throws -> GetCourseAnswer {
        try #require(GetCourseAnswer.decode(Array(json.utf8)))
    }

    @Test(arguments: [
        ("true", true), ("1", true), ("\"1\"", true), ("\"true\"", true), ("\" TRUE \"", true), ("\"yes\"", true),
        ("2", true), ("false", false), ("0", false), ("\"0\"", false), ("\"\"", false), ("\"no\"", false),
    ])
    func flagsInEveryForm(json: String, expected: Bool) throws {
        #expect(try answer(#"{"success":\#(json)}"#).success?.bool == expected)
    }

    @Test func idsAsNumbersOrStrings() throws {
        let result = try #require(
            try answer(
                #"{"success":true,"result":{"user_id":189870964,"deal_id":"42 ","deal_number":7.0,"user_status":"added","payment_link":null}}"#
            ).result)
        #expect(result.userID?.id == "189870964")
        #expect(result.dealID?.id == "42")
        #expect(result.dealNumber?.id == "7")
        #expect(result.userStatus?.id == "added")
        #expect(result.paymentLink == nil)
    }

    @Test func messagesSkipFlagsAndBlanks() throws {
        #expect(
            try answer(#"{"success":false,"error":true,"error_message":"  Нет ключа  "}"#).messages.text == "Нет ключа")
        #expect(try answer(#"{"success":false,"error":true,"message":"m"}"#).messages.text == "m")
        #expect(try answer(#"{"success":false,"error":"Текст"}"#).messages.text == "Текст")
        #expect(try answer(#"{"success":false,"error":true,"error_message":""}"#).messages.text == nil)
    }

    @Test func oddShapesReadAsAbsentNotFatal() throws {
        #expect(try answer(#"{"success":true,"result":"done"}"#).result == nil)
        #expect(try answer(#"{"success":true,"result":[1,2]}"#).result == nil)
        #expect(try answer(#"{"success":[true]}"#).success?.bool == nil)
        #expect(try answer(#"{"success":null}"#).hasSuccess)
        #expect(try !answer(#"{"status":"ok"}"#).hasSuccess)
        #expect(try answer("\u{FEFF}{\"success\":1,\"error_code\":\"905\"}").errorCode?.id == "905")
        #expect(GetCourseAnswer.decode(Array("<html>".utf8)) == nil)
        #expect(GetCourseAnswer.decode(Array("[1]".utf8)) == nil)
    }

    @Test func accountInfoKeepsTheItemsItCanRead() {
        let fields = AccountInfo(
            body: Array(
                #"{"success":true,"info":[{"id":5,"title":"Город","type":"text"},{"name":"Канал","context_type":"deal"},7,{"id":1}]}"#
                    .utf8)
        ).fields
        #expect(fields.map(\.title) == ["Город", "Канал"])
        #expect(fields.map(\.id) == ["5", ""])
        #expect(fields.map(\.context) == [.user, .deal])
        let groups = AccountInfo(body: Array(#"{"info":[{"id":"12","name":"VIP"},{"name":"no id"},{"id":3}]}"#.utf8))
            .groups
        #expect(groups == [AccountGroup(id: 12, name: "VIP")])
        let table = AccountInfo(
            body: Array(#"{"info":{"fields":["id","Email"],"items":[[1," a@b.ru"],"x",[null,true]]}}"#.utf8)
        )
        .table()
        #expect(table?.fields == ["id", "Email"])
        #expect(table?.items == [["1", " a@b.ru"], [], ["", "1"]])
        #expect(AccountInfo(body: Array(#"{"info":{"export_id":"77"}}"#.utf8)).exportID == 77)
    }
}
