// libFuzzer target for the sandbox's request decoding (scripts/fuzz.sh sandbox-form): a form body, a
// multipart body under a boundary taken from the input, the lenient base64 of `params` and the JSON inside
// it; any bytes give fields or nothing, never a crash.
import FuzzSupport

@testable import GetCourseSandbox

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSandboxForm(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let form = FormDecoder.decode(bytes)
    if let params = form["params"] {
        let json = LenientBase64.decode(params)
        _ = try? JSONParser.parse(json)
    }
    _ = try? JSONParser.parse(bytes)
    // The boundary is the input's first line, as a client might send any.
    let firstLine = bytes.prefix { $0 != 0x0A }
    let contentType = "multipart/form-data; boundary=" + String(decoding: firstLine, as: UTF8.self)
    let fields = MultipartDecoder.decode(Array(bytes.dropFirst(firstLine.count)), contentType: contentType)
    for value in fields.values { _ = LenientBase64.decode(value) }
    return 0
}

@main struct FuzzSandboxFormMain {
    static func main() { FuzzMain.run(fuzzSandboxForm) }
}
