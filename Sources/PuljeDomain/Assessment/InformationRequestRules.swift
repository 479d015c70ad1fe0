/// A request for more information during assessment, and the applicant's answer to it.
public enum InformationRequestRules {
    /// An answer may be this long; the page's field says so too.
    public static let answerLimit = 10_000

    /// Why an answer (already trimmed) cannot be sent, in Danish; nil if it can.
    public static func answerProblem(_ answer: String) -> String? {
        answer.isEmpty || answer.count > answerLimit
            ? "Skriv et svar på højst \(DanishNumber.grouped(answerLimit)) tegn. Intet er gemt." : nil
    }
}
