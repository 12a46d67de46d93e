// libFuzzer target for the answer classifier (scripts/fuzz.sh answer): any body under any status gives one
// outcome, never a crash. The first two bytes pick the status, the rest is the body. An ok outcome needs a
// 2xx status, and a refusal of the whole run is never taken for a row's success.
import FuzzSupport
import GCImportKit

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
    return 0
}

@main struct FuzzAnswerMain {
    static func main() { FuzzMain.run(fuzzAnswer) }
}
