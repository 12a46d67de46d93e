// libFuzzer target for the answer classifier (scripts/fuzz.sh answer): any body under any status gives one
// outcome, never a crash. The first two bytes pick the status, the rest is the body. An ok outcome needs a
// 2xx status, and a refusal of the whole run is never taken for a row's success. The same body goes through
// the export scanner (`verify`'s reading of export tables).
import FuzzSupport
@testable import GCImportKit

private let statuses = [200, 200, 200, 201, 204, 301, 302, 400, 401, 403, 404, 408, 429, 500, 502, 503]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let status = statuses[Int(data[0] % 16)]
    let retryAfter: String? = data[1] & 1 == 1 ? String(Int(data[1] >> 1) - 20) : nil
    let body = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let result = AnswerClassifier.classify(status: status, body: body, location: nil, retryAfter: retryAfter)
    if case .ok = result.outcome {
        FuzzCheck.that((200..<300).contains(status) || status == 404, "ok under HTTP \(status)")
    }
    FuzzCheck.that(result.httpStatus == status, "the status is not recorded")
    // The export scanner: any body, no crash; a table implies a valid document, and an envelope is one.
    let table = ExportScanner.table(body, keeping: { fields in fields.indices.filter { $0 % 2 == 0 } })
    let envelope = ExportScanner.envelope(body)
    if table != nil { FuzzCheck.that(envelope != nil, "a table from a body that is not one document") }
    if let envelope { FuzzCheck.that(ExportScanner.envelope(envelope) == envelope, "the envelope is not stable") }
    return 0
}

@main struct FuzzAnswerMain {
    static func main() { FuzzMain.run(fuzzAnswer) }
}
