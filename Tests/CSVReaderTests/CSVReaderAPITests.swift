import Testing

@testable import CSVReader

@Test func problemDescriptionNamesTheLine() {
    let problem = CSVProblem(line: 7, kind: .raggedRow, message: "3 fields, the header has 4")
    #expect(problem.description == "line 7: 3 fields, the header has 4")
}
