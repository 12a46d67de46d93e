// libFuzzer target for the mapping loader (scripts/fuzz.sh mapping): any text gives a mapping or a
// `MappingError` naming the file, never a crash or a hang. A mapping that loads is bound to a fixed header
// (or refuses it with an error) and, when bound, maps a row of plausible values and a row cut from the
// input's own lines, each on the byte path and the `String` path: a row the byte path maps must get the
// very payload the `String` path gives, and a natural key read on bytes must be the one `naturalKey` reads.
import CSVReader
import FuzzSupport

@testable import GCImportKit

private let header = ["Email", "Имя", "Телефон", "Дата", "Сумма", "Статус"]
private let values = ["anna@mail.ru", " Анна ", "8 (916) 123-45-67", "01.02.2024", "12 000,50", "Оплачен"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let mapping = try Mapping.parse(yaml: text, path: "fuzz.yaml")
        if let mapper = try? RowMapper(mapping: mapping, header: header) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(header.count).map(
                String.init)
            for fields in [values, lines] { compareBothPaths(mapper, CSVRecord(row: 1, line: 2, fields: fields)) }
        }
    } catch {
        let message = error.description
        FuzzCheck.that(message.hasPrefix("fuzz.yaml"), "a mapping error without the file's name: \(message)")
    }
    return 0
}

private func compareBothPaths(_ mapper: RowMapper, _ record: CSVRecord) {
    var scratch = ByteScratch()
    var json = JSONWriter()
    let bytes = CSVRawRecord.withLayout(of: record) { mapper.payloadBytes($0, scratch: &scratch, json: &json) }
    var values: [FieldValue?] = []
    var stringJSON = JSONWriter()
    let strings = mapper.mapWithKey(record, values: &values, json: &stringJSON).row
    // The duplicates' second pass reads keys on bytes: where it can tell, it tells what `naturalKey` does.
    let key = mapper.naturalKey(record)
    CSVRawRecord.withLayout(of: record) { raw in
        switch mapper.naturalKeyBytes(raw, scratch: &scratch) {
        case .key(let found):
            let text = String(decoding: found, as: UTF8.self)
            FuzzCheck.that(key == text, "key of \(record.fields) on bytes \(text), as strings \(key ?? "none")")
        case .none: FuzzCheck.that(key == nil, "no key of \(record.fields) on bytes, as strings \(key ?? "none")")
        case .unknown: break
        }
    }
    guard let bytes else { return }
    FuzzCheck.that(strings == .payload(bytes), "the byte path mapped \(record.fields) otherwise: \(bytes) / \(strings)")
}

@main struct FuzzMappingMain {
    static func main() { FuzzMain.run(fuzzMapping) }
}
