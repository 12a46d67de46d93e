import Testing

@testable import CSVReader
@testable import GCImportKit

private let userYAML = """
    kind: user
    fields:
      user.email: {column: Email, transforms: [email]}
      user.phone: {column: Телефон, transforms: [phone]}
      user.first_name: {column: Имя, transforms: [trim]}
      user.last_name: Фамилия
      user.group_name:
        column: Группы
        split: ";,"
        group_date: {column: Дата регистрации, transforms: [{date: [dd.MM.yyyy]}]}
      user.addfields.Источник: {column: utm_source, default: сайт}
      session.utm_source: utm_source
      system.refresh_if_exists: {value: 1}
    """

@Test func userRowBecomesSeedShapedJSON() throws {
    let mapping = try loadMapping(userYAML)
    let row = try mapRow(
        mapping, header: userHeader,
        [" Ivan@Mail.RU ", "Иван ", "Петров", "8 900 123-45-67", "Москва", "Клиенты; VIP", "01.02.2024", "yandex"])
    #expect(
        row.json
            == #"{"user":{"email":"ivan@mail.ru","phone":"+79001234567","first_name":"Иван","last_name":"Петров","#
            + #""group_name":[["Клиенты","2024-02-01 00:00:00"],["VIP","2024-02-01 00:00:00"]],"#
            + #""addfields":{"Источник":"yandex"}},"system":{"refresh_if_exists":1},"session":{"utm_source":"yandex"}}"#
    )
    let payload = try #require(row.payload)
    #expect(payload.email == "ivan@mail.ru")
    #expect(payload.line == 2)
    #expect(payload.isIdempotent)
}

@Test func emptyOptionalCellsAreLeftOutAndDefaultsApply() throws {
    let mapping = try loadMapping(userYAML)
    let row = try mapRow(mapping, header: userHeader, ["a@b.ru", "", "", "", "", "", "", ""])
    #expect(
        row.json == #"{"user":{"email":"a@b.ru","addfields":{"Источник":"сайт"}},"system":{"refresh_if_exists":1}}"#)
}

@Test func badCellsBecomeErrorsWithLineColumnAndValue() throws {
    let mapping = try loadMapping(userYAML)
    let row = try mapRow(
        mapping, header: userHeader, ["ivan.mail.ru", "Иван", "", "телефон", "", "A", "32.01.2024", ""], line: 18_442)
    let errors = row.errors
    #expect(errors.count == 3)
    let email = try #require(errors.first { $0.field == "user.email" })
    #expect(email.line == 18_442)
    #expect(email.row == 18_441)
    #expect(email.column == 1)
    #expect(email.columnName == "Email")
    #expect(email.value == "ivan.mail.ru")
    #expect(
        email.description
            == "line 18442, column 1 (Email): user.email: not an email address: no «@» [value: ivan.mail.ru]")
    let phone = try #require(errors.first { $0.field == "user.phone" })
    #expect(phone.column == 4)
    #expect(phone.value == "телефон")
    let group = try #require(errors.first { $0.field == "user.group_name" })
    #expect(group.message.hasPrefix("group date: not a date"))
    #expect(group.column == 7)
    #expect(group.columnName == "Дата регистрации")
    #expect(group.value == "32.01.2024")
}

@Test func usersNeedAnEmailUnlessPhoneOnlyIsAllowed() throws {
    let strict = try loadMapping(
        "kind: user\nfields:\n  user.email: 1\n  user.phone: {column: 2, transforms: [phone]}\n")
    let missing = try mapRow(strict, header: ["E", "P"], ["", "+79001234567"])
    #expect(missing.errors.map(\.field) == ["user.email"])
    #expect(missing.errors.first?.message.contains("allow_phone_only") == true)
    let lenient = try loadMapping(
        "kind: user\nallow_phone_only: true\nfields:\n  user.email: 1\n  user.phone: {column: 2, transforms: [phone]}\n"
    )
    #expect(
        try mapRow(lenient, header: ["E", "P"], ["", "+79001234567"]).json == #"{"user":{"phone":"+79001234567"}}"#)
    #expect(try mapRow(lenient, header: ["E", "P"], ["", ""]).errors.map(\.field) == ["user.email"])
}

private let dealYAML = """
    kind: deal
    fields:
      user.email: {column: Email, transforms: [email]}
      deal.deal_number: Номер
      deal.offer_code: Код
      deal.deal_cost: {column: Сумма, transforms: [money]}
      deal.deal_status:
        column: Статус
        map: {Новый: new, Оплачен: payed}
      deal.deal_is_paid: Оплачен
      deal.deal_currency: {column: Валюта, transforms: [upper], default: RUB}
      deal.deal_created_at: {column: Дата, transforms: [{date: [dd.MM.yyyy HH:mm]}]}
      deal.payment_type: Способ
      deal.quantity: {value: 1}
      deal.addfields.Канал: {template: "{Код}/{Номер}"}
      system.return_deal_number: {value: "yes"}
    """
private let dealHeader = ["Номер", "Email", "Код", "Сумма", "Статус", "Оплачен", "Валюта", "Дата", "Способ"]

@Test func dealRowBecomesSeedShapedJSON() throws {
    let mapping = try loadMapping(dealYAML)
    let row = try mapRow(
        mapping, header: dealHeader,
        ["A-1", "a@b.ru", "course", "12 000,00", "оплачен", "да", "rub", "01.02.2024 14:30", "CARD"])
    #expect(
        row.json
            == #"{"user":{"email":"a@b.ru"},"system":{"return_deal_number":1},"deal":{"deal_number":"A-1","#
            + #""offer_code":"course","quantity":1,"deal_cost":"12000","deal_status":"payed","deal_is_paid":1,"#
            + #""deal_created_at":"2024-02-01 14:30:00","payment_type":"CARD","addfields":{"Канал":"course/A-1"},"#
            + #""deal_currency":"RUB"}}"#)
    let payload = try #require(row.payload)
    #expect(payload.dealNumber == "A-1")
    #expect(payload.kind == .deal)
}

@Test func dealRulesAndClosedSets() throws {
    let mapping = try loadMapping(dealYAML)
    let row = try mapRow(mapping, header: dealHeader, ["A-2", "", "", "0", "Архив", "может", "рубли", "", "card"])
    let byField = Dictionary(row.errors.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
    #expect(byField["user.email"]?.message.contains("buyer's email") == true)
    #expect(byField["deal.offer_code"]?.message.contains("deal.product_title") == true)
    #expect(byField["deal.deal_cost"]?.message.contains("greater than 0") == true)
    #expect(byField["deal.deal_status"]?.message.contains("not listed under `map:`") == true)
    #expect(byField["deal.deal_is_paid"]?.message.contains("yes/no flag") == true)
    #expect(byField["deal.deal_currency"]?.message.contains("not a deal_currency code") == true)
    #expect(byField["deal.payment_type"]?.message.contains("use «CARD»") == true)
    #expect(byField["deal.deal_cost"]?.value == "0")
}

@Test func unconvertedDatesAndAmountsPointAtTheTransform() throws {
    let mapping = try loadMapping(
        "kind: deal\nfields:\n  user.email: 1\n  deal.product_title: 2\n  deal.deal_cost: 3\n  deal.deal_finished_at: 4\n"
    )
    let row = try mapRow(mapping, header: ["a", "b", "c", "d"], ["a@b.ru", "Курс", "12 000,00", "01.02.2024"])
    #expect(row.errors.first { $0.field == "deal.deal_cost" }?.message.contains("`money` transform") == true)
    #expect(row.errors.first { $0.field == "deal.deal_finished_at" }?.message.contains("`date:` transform") == true)
    let ok = try mapRow(mapping, header: ["a", "b", "c", "d"], ["a@b.ru", "Курс", "990.50", "2024-02-01 10:00:00"])
    #expect(ok.json?.contains(#""deal_cost":"990.50""#) == true)
    let payload = try #require(ok.payload)
    #expect(!payload.isIdempotent)
}

@Test func skipRulesLeaveRowsOut() throws {
    let mapping = try loadMapping(
        """
        kind: user
        skip:
          - {column: Email, empty: true}
          - {column: Город, equals: [Тест, test]}
        fields:
          user.email: Email
        """)
    let empty = try mapRow(mapping, header: userHeader, [" ", "", "", "", "", "", "", ""])
    #expect(empty == .skipped(row: 1, line: 2, reason: "column «Email» is empty"))
    let test = try mapRow(mapping, header: userHeader, ["a@b.ru", "", "", "", " ТЕСТ ", "", "", ""])
    #expect(test == .skipped(row: 1, line: 2, reason: "column «Город» is « ТЕСТ »"))
}

@Test func userGroupsNeedIdAndGroups() throws {
    let mapping = try loadMapping(
        "kind: user_groups\nfields:\n  user.id: 1\n  user.group_name: {column: 2, split: \",\"}\n")
    #expect(
        try mapRow(mapping, header: ["id", "g"], ["123", "A, B"]).json
            == #"{"user":{"id":"123","group_name":["A","B"]}}"#)
    let bad = try mapRow(mapping, header: ["id", "g"], ["12a", ""])
    #expect(bad.errors.map(\.field).sorted() == ["user.group_name", "user.id"])
    #expect(bad.errors.first { $0.field == "user.group_name" }?.message.contains("REMOVE") == true)
}

@Test func brokenCSVRowsAreInvalidNotDropped() throws {
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: Email\n")
    let mapper = try RowMapper(mapping: mapping, header: userHeader)
    let problem = CSVProblem(line: 7, row: 6, kind: .raggedRow, message: "expected 8 fields, found 3")
    let row = mapper.map(CSVRecord(row: 6, line: 7, fields: ["a@b.ru", "x", "y"], problems: [problem]))
    #expect(row.errors.count == 1)
    #expect(row.errors.first?.field == "csv")
    #expect(row.errors.first?.line == 7)
    #expect(row.line == 7)
}

@Test func requiredFieldsMustBeFilled() throws {
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: 1\n  user.city: {column: 2, required: true}\n")
    let row = try mapRow(mapping, header: ["e", "c"], ["a@b.ru", ""])
    #expect(row.errors.first?.field == "user.city")
    #expect(row.errors.first?.message.contains("required") == true)
}

@Test func jsonEscapesQuotesBackslashesAndControls() throws {
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: 1\n  user.city: 2\n")
    let row = try mapRow(mapping, header: ["e", "c"], ["a@b.ru", "\"Кв\"\\\n\t\u{1}"])
    #expect(row.json == #"{"user":{"email":"a@b.ru","city":"\"Кв\"\\\n\t\u0001"}}"#)
}

@Test func constantsAreCheckedOnEveryRow() throws {
    // Constants are worked out once per mapper; one that fails its check must still fail every row.
    let mapping = try loadMapping(
        """
        kind: deal
        fields:
          user.email: 1
          deal.product_title: {value: Курс}
          deal.deal_cost: {value: "abc"}
          deal.deal_is_paid: {value: "maybe"}
          deal.deal_currency: {value: "RUR"}
        """)
    let row = try mapRow(mapping, header: ["Email"], ["a@b.ru"])
    #expect(row.json == nil)
    #expect(Set(row.errors.map(\.field)) == ["deal.deal_cost", "deal.deal_is_paid", "deal.deal_currency"])
    #expect(row.errors.first { $0.field == "deal.deal_cost" }?.value == "abc")
    let good = try mapRow(
        loadMapping("kind: user\nfields:\n  user.email: 1\n  system.refresh_if_exists: {value: да}\n"),
        header: ["Email"], ["a@b.ru"])
    #expect(good.json == #"{"user":{"email":"a@b.ru"},"system":{"refresh_if_exists":1}}"#)
}

@Test func aValueMapKeyWrittenTwiceTakesTheLaterValue() throws {
    // YAML keeps the number 1 and the string "1" apart; both read as the cell «1», and the later one wins.
    let mapping = try loadMapping(
        """
        kind: deal
        fields:
          user.email: 1
          deal.product_title: {value: Курс}
          deal.deal_cost: {value: "100"}
          deal.deal_status: {column: 2, map: {1: payed, "1": new}}
        """)
    let row = try mapRow(mapping, header: ["Email", "Статус"], ["a@b.ru", "1"])
    #expect(row.json?.contains(#""deal_status":"new""#) == true)
}

/// A value map whose values are all valid codes needs no per-row code check; one that gives a wrong code
/// (here a fallback in the wrong case, and a value not in the set) is still caught on every row.
@Test func valueMapOutputsAreCheckedAgainstTheClosedSet() throws {
    let yaml = """
        kind: deal
        fields:
          user.email: Email
          deal.offer_code: {value: course}
          deal.deal_cost: {value: "100"}
          deal.deal_status: {column: Статус, map: {Новый: new, Оплачен: payed}, map_default: NEW}
          deal.payment_type: {column: Способ, map: {Карта: CARD, Наличные: Наличными}}
        """
    let mapping = try loadMapping(yaml)
    let header = ["Email", "Статус", "Способ"]
    let good = try mapRow(mapping, header: header, ["a@b.ru", "Оплачен", "Карта"])
    #expect(good.json?.contains(#""deal_status":"payed","payment_type":"CARD""#) == true)
    let bad = try mapRow(mapping, header: header, ["a@b.ru", "Архив", "Наличные"])
    let byField = Dictionary(bad.errors.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
    #expect(byField["deal.deal_status"]?.message.contains("use «new»") == true)
    #expect(byField["deal.payment_type"]?.message.contains("not a payment_type code") == true)
    // In the deal fixture every output of the status map is a code, so its per-row check is skipped; the
    // payment type there is taken from its column unmapped, and keeps the check.
    let plans = try RowMapper(mapping: loadMapping(dealYAML), header: dealHeader).plans
    #expect(plans.first { $0.field.path == "deal.deal_status" }?.skipsTypeCheck == true)
    #expect(plans.first { $0.field.path == "deal.payment_type" }?.skipsTypeCheck == false)
}

@Suite struct SeedFieldTests {
    @Test func middleNameBirthdayUtmTermAndTheCommentAlias() throws {
        let user = try loadMapping(
            """
            kind: user
            fields:
              user.email: Email
              user.middle_name: Отчество
              user.birthday: {column: ДР, transforms: [date]}
              session.utm_term: utm_term
            """)
        let row = try mapRow(
            user, header: ["Email", "Отчество", "ДР", "utm_term"], ["a@b.ru", "Сергеевич", "01.01.1990", "kw"])
        #expect(
            row.json
                == #"{"user":{"email":"a@b.ru","middle_name":"Сергеевич","birthday":"1990-01-01"},"#
                + #""session":{"utm_term":"kw"}}"#)
        let deal = try loadMapping(
            """
            kind: deal
            fields:
              user.email: Email
              deal.product_title: {value: Курс}
              deal.deal_cost: {value: "100"}
              deal.comment: Комментарий
            """)
        let dealRow = try mapRow(deal, header: ["Email", "Комментарий"], ["a@b.ru", "по безналу"])
        #expect(dealRow.json?.contains(#""deal_comment":"по безналу""#) == true)
    }

    @Test func aBirthdayThatIsNoDateIsRefused() throws {
        let user = try loadMapping("kind: user\nfields:\n  user.email: Email\n  user.birthday: ДР\n")
        let row = try mapRow(user, header: ["Email", "ДР"], ["a@b.ru", "01.01.1990"])
        #expect(row.errors.first?.field == "user.birthday")
        #expect(
            try mapRow(user, header: ["Email", "ДР"], ["a@b.ru", "1990-01-01"]).json?.contains("1990-01-01") == true)
    }

    @Test func anAliasBesideItsKeyIsRefused() {
        let error = mappingError(
            """
            kind: deal
            fields:
              user.email: Email
              deal.product_title: {value: Курс}
              deal.deal_cost: {value: "100"}
              deal.deal_comment: A
              deal.comment: B
            """)
        #expect(error?.description.contains("deal.comment and deal.deal_comment are the same field") == true)
    }
}
