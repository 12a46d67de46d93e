import Testing

@testable import CSVReader
@testable import GCImportKit

@Test func minimalMappingLoads() throws {
    let mapping = try loadMapping(
        """
        kind: user
        csv: {delimiter: ";", encoding: windows-1251, header: true}
        fields:
          user.email: Email
          user.phone: 4
          user.first_name: {column: Имя, transforms: [trim, collapse_spaces]}
          user.addfields.Источник: {value: партнёр}
        """)
    #expect(mapping.kind == .user)
    #expect(mapping.delimiter == UInt8(ascii: ";"))
    #expect(mapping.encoding == .windows1251)
    #expect(mapping.fields.count == 4)
    #expect(mapping.readerOptions(.init()).delimiter == UInt8(ascii: ";"))
    #expect(mapping.readerOptions(.init(delimiter: UInt8(ascii: ","))).delimiter == UInt8(ascii: ";"))
}

@Test func unknownPayloadKeyNamesItAndSuggests() throws {
    let error = try #require(
        mappingError(
            """
            kind: user
            fields:
              user.email: Email
              user.frist_name: Имя
            """))
    #expect(error.line == 4)
    #expect(error.column == 3)
    #expect(error.key == "fields.user.frist_name")
    #expect(error.message.contains("did you mean «user.first_name»"))
    #expect(error.description.hasPrefix("test.yaml:4:3: fields.user.frist_name: unknown payload field"))
}

@Test func unknownTopLevelAndSpecKeysSuggest() throws {
    let top = try #require(mappingError("kind: user\nfeilds:\n  user.email: Email\n"))
    #expect(top.message.contains("did you mean «fields»"))
    #expect(top.line == 2)
    let spec = try #require(mappingError("kind: user\nfields:\n  user.email: {colum: Email}\n"))
    #expect(spec.message.contains("did you mean «column»"))
    let transform = try #require(
        mappingError("kind: user\nfields:\n  user.email: {column: Email, transforms: [trimm]}\n"))
    #expect(transform.message.contains("unknown transform «trimm»"))
    #expect(transform.message.contains("did you mean «trim»"))
}

@Test func fieldsOfAnotherKindAreRefused() throws {
    let error = try #require(mappingError("kind: user\nfields:\n  user.email: Email\n  deal.deal_cost: Сумма\n"))
    #expect(error.message.contains("not part of a kind user import"))
    let groups = try #require(mappingError("kind: user_groups\nfields:\n  user.group_name: Группы\n"))
    #expect(groups.message.contains("needs user.id"))
}

@Test func badValuesAreExplained() throws {
    #expect(
        mappingError("kind: users\nfields:\n  user.email: Email\n")?.message.contains("did you mean «user»") == true)
    #expect(mappingError("fields:\n  user.email: Email\n")?.message.contains("missing `kind:`") == true)
    #expect(mappingError("kind: user\n")?.message.contains("no `fields:`") == true)
    #expect(mappingError("kind: user\ncsv: {delimiter: ':'}\nfields: {user.email: Email}\n")?.key == "csv.delimiter")
    #expect(
        mappingError("kind: user\nfields:\n  user.email: {column: Email, value: x}\n")?.message.contains("only one of")
            == true)
    #expect(
        mappingError(
            "kind: deal\nfields:\n  deal.deal_created_at: {column: 1, transforms: [{date: [dd.MM.yyyy hh]}]}\n")?
            .message.contains("«hh» is not understood") == true)
    #expect(
        mappingError("kind: user\nfields:\n  user.city: {column: 1, split: \";\"}\n")?.key == "fields.user.city.split")
    #expect(mappingError("kind: user\ntimezone: +03:00\nfields: {user.email: Email}\n")?.key == "timezone")
    #expect(mappingError("kind: user\nfields:\n  user.email: 0\n")?.message.contains("start at 1") == true)
}

@Test func brokenYAMLPointsAtTheLine() throws {
    let error = try #require(mappingError("kind: user\nfields:\n  user.email: [Email\n"))
    #expect(error.line != nil)
    #expect(error.message.contains("not valid YAML"))
}

@Test func unknownColumnListsTheFileColumns() throws {
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: Emial\n")
    #expect {
        try RowMapper(mapping: mapping, header: userHeader)
    } throws: { error in
        let text = "\(error)"
        return text.contains("column «Emial» is not in the CSV file") && text.contains("did you mean «Email»")
            && text.contains("1 «Email», 2 «Имя»") && text.hasPrefix("test.yaml:3:")
    }
    let byIndex = try loadMapping("kind: user\nfields:\n  user.email: 42\n")
    #expect(throws: MappingError.self) { try RowMapper(mapping: byIndex, header: userHeader) }
}

@Test func columnNamesMatchLooselyWhenUnambiguous() throws {
    let mapping = try loadMapping("kind: user\nfields:\n  user.email: email\n")
    let row = try mapRow(mapping, header: [" Email "], ["a@b.ru"])
    #expect(row.json == #"{"user":{"email":"a@b.ru"}}"#)
}

@Test func dealWithoutNumberWarns() throws {
    let deal = try loadMapping(
        "kind: deal\nfields:\n  user.email: 1\n  deal.offer_code: 2\n  deal.deal_cost: 3\n")
    #expect(deal.warnings.contains { $0.contains("cannot be retried safely") })
    let groups = try loadMapping(
        "kind: user_groups\nfields:\n  user.id: 1\n  user.group_name: {column: 2, split: \",\"}\n")
    #expect(groups.warnings.contains { $0.contains("REPLACES") })
}

@Test(arguments: [
    ("kind: user\nfields:\n  user.phone: 1\n", "kind user needs user.email"),
    ("kind: deal\nfields:\n  deal.deal_cost: 1\n  deal.offer_code: 2\n", "kind deal needs user.email"),
    ("kind: deal\nfields:\n  user.email: 1\n  deal.deal_cost: 2\n", "deal.offer_code, deal.product_title or"),
    ("kind: deal\nfields:\n  user.email: 1\n  deal.offer_id: 2\n", "kind deal needs deal.deal_cost"),
])
func mappingsMustMapWhatEveryRowNeeds(yaml: String, fragment: String) {
    #expect(mappingError(yaml)?.message.contains(fragment) == true)
}

/// Each dry-run thread maps with its own copy of the mapping: same fields and settings (including settings
/// changed after parsing, as the command line does), none of the storage.
@Test func unsharedCopyKeepsEverySettingButNoStorage() throws {
    var mapping = try loadMapping(
        """
        kind: user
        skip:
          - {column: Email, empty: true}
        fields:
          user.email: Email
          user.phone: {column: Телефон, transforms: [phone]}
        """)
    mapping.delimiter = UInt8(ascii: "\t")
    mapping.encoding = .windows1251
    mapping.hasHeader = false
    mapping.allowPhoneOnly = true
    let copy = mapping.unshared()
    #expect(copy.delimiter == UInt8(ascii: "\t"))
    #expect(copy.encoding == .windows1251)
    #expect(copy.hasHeader == false)
    #expect(copy.allowPhoneOnly)
    #expect(copy.kind == mapping.kind && copy.path == mapping.path)
    #expect(copy.fields.map(\.field.path) == mapping.fields.map(\.field.path))
    #expect(copy.skipRules.count == 1)
    let storage = { (fields: [FieldSpec]) in fields.withUnsafeBufferPointer { $0.baseAddress } }
    #expect(storage(copy.fields) != storage(mapping.fields))
}

@Test func everyMissingColumnIsReportedAtOnce() throws {
    let mapping = try loadMapping(
        "kind: user\nfields:\n  user.email: Emial\n  user.city: {column: Горд}\n  user.phone: 42\n"
            + "skip:\n  - {column: Страна, empty: true}\n")
    #expect {
        try RowMapper(mapping: mapping, header: userHeader)
    } throws: { error in
        guard let error = error as? MappingError else { return false }
        let lines = "\(error)".split(separator: "\n").map(String.init)
        // The first problem with the file's columns, then one line for each other one, in mapping order.
        return lines.count == 4 && lines[0].hasPrefix("test.yaml:3:") && lines[0].contains("«Emial»")
            && lines[0].contains("the file's columns: 1 «Email», 2 «Имя»")
            && lines[1].hasPrefix("  also test.yaml:4:") && lines[1].contains("«Горд»")
            && lines[1].contains("did you mean «Город»") && !lines[1].contains("the file's columns")
            && lines[2].contains("column #42, but the CSV file has 8 columns")
            && lines[3].contains("skip: column «Страна»")
    }
}

@Test func everyFieldProblemIsReportedAtOnce() throws {
    let error = try #require(
        mappingError("kind: user\nfields:\n  user.emial: Email\n  user.city: {column: 2, transforms: [trmi]}\n"))
    let lines = error.description.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines.first?.hasPrefix("test.yaml:3:3: fields.user.emial: unknown payload field") == true)
    #expect(lines.last?.hasPrefix("  also test.yaml:4:") == true)
    #expect(lines.last?.contains("trmi") == true)
}
