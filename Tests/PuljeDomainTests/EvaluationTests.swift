import Foundation
import Testing

@testable import PuljeDomain

/// Instruments and WHO-5, CPR numbers and pseudonyms, measurement windows, small-cell suppression.
@Suite struct EvaluationTests {
    static func answers(_ values: [Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: values.enumerated().map { (String($0.offset + 1), $0.element) })
    }

    @Test func who5ScoresAsTheBriefStates() throws {
        let who5 = Instrument.who5
        #expect(who5.definitionProblems().isEmpty)
        #expect(who5.items.count == 5)
        #expect(who5.scaleMinimum == 0 && who5.scaleMaximum == 5)
        // All of the time on every item: raw 25, index 100, no warning.
        let best = try #require(who5.score(Self.answers([5, 5, 5, 5, 5])))
        #expect(best.raw == 25 && best.score == 100 && best.flags.isEmpty)
        // Raw 13 with no item at 0 or 1: index 52, not poor.
        let thirteen = try #require(who5.score(Self.answers([3, 3, 3, 2, 2])))
        #expect(thirteen.raw == 13 && thirteen.score == 52 && thirteen.flags.isEmpty)
        // Raw 12: below 13, poor well-being.
        let twelve = try #require(who5.score(Self.answers([3, 3, 2, 2, 2])))
        #expect(twelve.raw == 12 && twelve.score == 48 && twelve.flags == ["Tegn på dårlig trivsel"])
        // Raw 17 but one item at 1: poor well-being all the same.
        let oneLow = try #require(who5.score(Self.answers([5, 5, 5, 1, 1])))
        #expect(oneLow.raw == 17 && oneLow.score == 68 && oneLow.flags == ["Tegn på dårlig trivsel"])
        let zero = try #require(who5.score(Self.answers([0, 5, 5, 5, 5])))
        #expect(zero.raw == 20 && zero.flags.count == 1)
        let nothing = try #require(who5.score(Self.answers([0, 0, 0, 0, 0])))
        #expect(nothing.raw == 0 && nothing.score == 0)
    }

    @Test func who5MeaningfulChangeIsTenIndexPoints() throws {
        let who5 = Instrument.who5
        let before = try #require(who5.score(Self.answers([2, 2, 2, 2, 2])))  // 40
        let small = try #require(who5.score(Self.answers([3, 2, 2, 2, 2])))  // 44
        let ten = try #require(who5.score(Self.answers([3, 3, 3, 2, 2])))  // 52: +12
        let exactlyTen = try #require(who5.score(Self.answers([3, 3, 2, 2, 2])))  // 48: +8
        #expect(who5.change(from: before, to: small) == (4, false))
        #expect(who5.change(from: before, to: exactlyTen) == (8, false))
        #expect(who5.change(from: before, to: ten) == (12, true))
        // Down counts as well; exactly 10 is meaningful (44 → 52 is 8, 40 → 52 is 12, 52 → 40 is −12).
        #expect(who5.change(from: ten, to: before) == (-12, true))
        var instrument = who5
        instrument.scoring.meaningfulChange = 8
        #expect(instrument.change(from: before, to: exactlyTen) == (8, true))
        instrument.scoring.meaningfulChange = nil
        #expect(instrument.change(from: before, to: exactlyTen).meaningful == nil)
    }

    @Test func answersAreCheckedItemByItem() {
        let who5 = Instrument.who5
        #expect(who5.score(Self.answers([5, 5, 5, 5])) == nil)
        #expect(who5.problems(answers: Self.answers([5, 5, 5, 5])).map(\.field) == ["5"])
        #expect(who5.problems(answers: Self.answers([5, 5, 6, 5, 5])).map(\.field) == ["3"])
        #expect(who5.problems(answers: Self.answers([5, 5, -1, 5, 5])).map(\.field) == ["3"])
        #expect(who5.problems(answers: Self.answers([5, 5, Int.max, 5, Int.min])).map(\.field) == ["3", "5"])
        var extra = Self.answers([5, 5, 5, 5, 5])
        extra["99"] = 1
        #expect(who5.problems(answers: extra).map(\.field) == ["99"])
        #expect(who5.score(extra) == nil)
    }

    /// An instrument of the evaluator's own: a mean, a reversed item, an optional item, a multiplier,
    /// categories by threshold and a flag.
    @Test func anInstrumentDefinedAsDataScoresByItsRules() throws {
        let scale = (1...4).map { ScaleOption(value: $0, label: "Svar \($0)") }
        let instrument = Instrument(
            key: "mestring", version: 2, name: "Mestring", instruction: "Hvor enig er du?", scale: scale,
            items: [
                InstrumentItem(key: "a", text: "Jeg klarer mig selv"),
                InstrumentItem(key: "b", text: "Jeg har brug for hjælp", reversed: true),
                InstrumentItem(key: "c", text: "Jeg har et netværk", required: false),
            ],
            scoring: InstrumentScoring(
                method: .mean, multiplier: 25, scoreName: "Mestringsscore",
                categories: [
                    ScoreCategory(lowerBound: 1, label: "Lav"), ScoreCategory(lowerBound: 2.5, label: "Middel"),
                    ScoreCategory(lowerBound: 3.5, label: "Høj"),
                ],
                flags: [FlagRule(label: "Lav mestring", anyOf: [.rawBelow(2)])], meaningfulChange: 15))
        #expect(instrument.definitionProblems().isEmpty)
        // a = 4, b = 1 reversed to 4, c left out: mean 4, score 100, "Høj".
        let high = try #require(instrument.score(["a": 4, "b": 1]))
        #expect(high.raw == 4 && high.score == 100 && high.category == "Høj" && high.flags.isEmpty)
        // a = 1, b = 4 (→ 1), c = 2: mean 4/3 = 1.3333, score 33.33, "Lav", flagged.
        let low = try #require(instrument.score(["a": 1, "b": 4, "c": 2]))
        #expect(low.raw == Decimal(string: "1.3333") && low.score == Decimal(string: "33.33"))
        #expect(low.category == "Lav" && low.flags == ["Lav mestring"])
        // Exactly on a bound belongs to the category above: a = 3, b = 3 (→ 2): mean 2.5.
        #expect(instrument.score(["a": 3, "b": 3])?.category == "Middel")
    }

    @Test func aBadDefinitionNamesEveryField() {
        var bad = Instrument.who5
        bad.key = "WHO 5"
        bad.name = " "
        bad.scale = [ScaleOption(value: 1, label: "a"), ScaleOption(value: 1, label: "")]
        bad.items.append(InstrumentItem(key: "1", text: "igen"))
        bad.scoring.multiplier = 0
        bad.scoring.categories = [ScoreCategory(lowerBound: 5, label: "x"), ScoreCategory(lowerBound: 2, label: "y")]
        bad.scoring.flags = [FlagRule(label: "f", anyOf: [])]
        bad.scoring.meaningfulChange = -1
        let fields = Set(bad.definitionProblems().map(\.field))
        #expect(
            fields == [
                "key", "name", "scale", "scale.1.label", "items.5.key", "scoring.multiplier", "scoring.categories",
                "scoring.flags.0", "scoring.meaningfulChange",
            ])
        #expect(Instrument.isValidKey("who5") && Instrument.isValidKey("ors-2"))
        #expect(!Instrument.isValidKey("-x") && !Instrument.isValidKey("") && !Instrument.isValidKey("æ"))
        #expect(!Instrument.isValidKey(String(repeating: "a", count: 41)))
    }

    static let today = CalendarDate(year: 2026, month: 11, day: 24)!

    @Test func cprNumbersAreCheckedWithTheirCentury() throws {
        let plain = try CPRNumber.parse("0101901234", today: Self.today).get()
        #expect(plain.birthDate == CalendarDate(year: 1990, month: 1, day: 1))
        #expect(plain.sex == .female)
        let hyphen = try CPRNumber.parse(" 311299-4111 ", today: Self.today).get()
        #expect(hyphen.birthDate == CalendarDate(year: 1999, month: 12, day: 31) && hyphen.sex == .male)
        // Seventh digit 4 or 9: 2000–2036 for years 00–36, else 1900s.
        #expect(try CPRNumber.parse("0101104001", today: Self.today).get().birthYear == 2010)
        #expect(try CPRNumber.parse("0101509001", today: Self.today).get().birthYear == 1950)
        // Seventh digit 5–8: 2000–2057 for years 00–57; 58–99 is the 1800s, which no living citizen has.
        #expect(try CPRNumber.parse("0101205001", today: Self.today).get().birthYear == 2020)
        #expect(CPRNumber.parse("0101605001", today: Self.today) == .failure(.date))
        // Dates that do not exist, a leap day, a birth after today.
        #expect(CPRNumber.parse("3102901234", today: Self.today) == .failure(.date))
        #expect(CPRNumber.parse("0013901234", today: Self.today) == .failure(.date))
        #expect(CPRNumber.parse("0000901234", today: Self.today) == .failure(.date))
        #expect(CPRNumber.parse("2902001234", today: Self.today) == .failure(.date))
        #expect(CPRNumber.parse("2902961234", today: Self.today).map(\.birthYear) == .success(1996))
        #expect(CPRNumber.parse("2902971234", today: Self.today) == .failure(.date))
        #expect(CPRNumber.parse("0112264001", today: Self.today) == .failure(.future))
        // Anything that is not ten digits.
        for input in [
            "", "123", "01019012345", "010190 1234", "0101-901234", "01019O1234", "٠١٠١٩٠١٢٣٤", "0101901234\u{0}",
        ] {
            #expect(CPRNumber.parse(input, today: Self.today) == .failure(.format), "\(input)")
        }
        // The number never prints its digits.
        #expect("\(plain)" == "CPR-nummer (skjult)")
        #expect(String(reflecting: plain) == "CPR-nummer (skjult)")
    }

    @Test func pseudonymsAreKeyedPerEvaluation() throws {
        let key = Array(UInt8(0)...UInt8(31))
        let evaluation = try #require(UUID(uuidString: "6F1C2A3E-0000-4000-8000-000000000001"))
        let other = UUID()
        let cpr = try CPRNumber.parse("010190-1234", today: Self.today).get()
        let pseudonym = Pseudonym.of(cpr, evaluation: evaluation, installationKey: key)
        // HKDF-SHA256 (no salt, info "pulje-evaluation-pseudonym:<id>") then HMAC-SHA256 of the ten digits,
        // computed independently with Python's hmac and hashlib.
        #expect(pseudonym.value == "e5987552987ad98fee5c0e46fdb6af5ca5b7d67e41ae655624731b625fedec88")
        #expect(pseudonym.short == "E598-7552-987A")
        // The same number the same way written: the same pseudonym; another evaluation or key: another.
        let again = try CPRNumber.parse("0101901234", today: Self.today).get()
        #expect(Pseudonym.of(again, evaluation: evaluation, installationKey: key) == pseudonym)
        #expect(Pseudonym.of(cpr, evaluation: other, installationKey: key) != pseudonym)
        #expect(Pseudonym.of(cpr, evaluation: evaluation, installationKey: key.reversed()) != pseudonym)
        #expect(Pseudonym(stored: pseudonym.value) == pseudonym)
        #expect(Pseudonym(stored: "E598") == nil)
        #expect(Pseudonym(stored: String(repeating: "g", count: 64)) == nil)
    }

    @Test func measurementWindowsFollowTheBaseline() {
        let six = MeasurementPoint(
            key: "6mdr", name: "6 måneder", monthsAfterBaseline: 6, windowDays: 14, instruments: ["who5"])
        let baseline = CalendarDate(year: 2026, month: 8, day: 31)!
        // 31 August + 6 months is the last day of February.
        #expect(six.date(baseline: baseline) == CalendarDate(year: 2027, month: 2, day: 28))
        #expect(
            six.due(baseline: baseline, today: CalendarDate(year: 2027, month: 2, day: 13)!)
                == .notYet(opens: CalendarDate(year: 2027, month: 2, day: 14)!))
        #expect(
            six.due(baseline: baseline, today: CalendarDate(year: 2027, month: 2, day: 14)!)
                == .open(closes: CalendarDate(year: 2027, month: 3, day: 14)!))
        #expect(
            six.due(baseline: baseline, today: CalendarDate(year: 2027, month: 3, day: 15)!)
                == .closed(closedOn: CalendarDate(year: 2027, month: 3, day: 14)!))
        let twelve = MeasurementPoint(
            key: "12mdr", name: "12 måneder", monthsAfterBaseline: 12, windowDays: 0, instruments: [])
        #expect(
            twelve.date(baseline: CalendarDate(year: 2024, month: 2, day: 29)!)
                == CalendarDate(year: 2025, month: 2, day: 28))
        #expect(
            CalendarDate(year: 2026, month: 12, day: 31)!.adding(days: 1) == CalendarDate(year: 2027, month: 1, day: 1))
        #expect(
            CalendarDate(year: 2026, month: 3, day: 1)!.adding(days: -1) == CalendarDate(year: 2026, month: 2, day: 28))
    }

    @Test func aDesignIsChecked() {
        let good = EvaluationDesign(
            points: [
                MeasurementPoint(
                    key: "baseline", name: "Baseline", monthsAfterBaseline: 0, windowDays: 14, instruments: ["who5"]),
                MeasurementPoint(
                    key: "6mdr", name: "6 måneder", monthsAfterBaseline: 6, windowDays: 30, instruments: ["who5"]),
            ],
            fields: [DataField(key: "sessioner", label: "Sessioner afholdt", kind: .count)])
        #expect(good.problems(instruments: ["who5"]).isEmpty)
        var bad = good
        bad.points[1].monthsAfterBaseline = 0
        bad.points[1].key = "baseline"
        bad.points[1].instruments = ["sdq", "sdq"]
        bad.fields.append(DataField(key: "sessioner", label: "", kind: .hours))
        #expect(
            Set(bad.problems(instruments: ["who5"]).map(\.field)) == [
                "points.1.key", "points.1.monthsAfterBaseline", "points.1.instruments", "fields.1.key",
                "fields.1.label",
            ])
        var late = good
        late.points.removeFirst()
        #expect(late.problems(instruments: ["who5"]).map(\.field) == ["points.0.monthsAfterBaseline"])
    }

    @Test func dataFieldsReadDanishNumbersWithinBounds() {
        let count = DataField(key: "sessioner", label: "Sessioner", kind: .count)
        let hours = DataField(key: "timer", label: "Timer", kind: .hours)
        #expect(count.parse("12") == .success(12))
        #expect(count.parse("") == .success(nil))
        if case .success = count.parse("1,5") { Issue.record("a count took decimals") }
        #expect(hours.parse("3,25") == .success(Decimal(string: "3.25")))
        #expect(hours.parse("1.250,5") == .success(Decimal(string: "1250.5")))
        for hostile in ["-1", "9223372036854775807", "1e9", "abc", "3,333", "NaN"] {
            if case .success = hours.parse(hostile) { Issue.record("accepted \(hostile)") }
        }
    }

    @Test func smallCellsAreSuppressedWithTheirComplement() {
        #expect(SmallCells.suppressed([10, 12, 8]).isEmpty)
        // One small cell: it and the smallest of the rest, so the total does not reveal it.
        #expect(SmallCells.suppressed([10, 3, 8]) == [1, 2])
        #expect(SmallCells.suppressed([10, 3, 4]) == [1, 2])
        #expect(SmallCells.suppressed([0, 3, 7]) == [1, 2])
        #expect(SmallCells.suppressed([4]) == [0])
        #expect(SmallCells.suppressed([0, 0]).isEmpty)
        #expect(SmallCells.mayShow(0) && SmallCells.mayShow(5) && !SmallCells.mayShow(4))
    }
}

/// The bulk import's reading: delimited text as spreadsheets write it, and every bad cell named.
@Suite struct EvaluationImportTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 24)!
    static let design = EvaluationDesign(
        points: [
            MeasurementPoint(
                key: "baseline", name: "Baseline", monthsAfterBaseline: 0, windowDays: 0, instruments: ["who5"]),
            MeasurementPoint(
                key: "6mdr", name: "6 måneder", monthsAfterBaseline: 6, windowDays: 30, instruments: ["who5"]),
        ],
        fields: [DataField(key: "timer", label: "Timer", kind: .hours)], requiresConsent: true)
    static let instruments = ["who5": Instrument.who5]

    @Test func delimitedTextReadsWhatSpreadsheetsWrite() {
        #expect(
            DelimitedText.parse("\u{FEFF}a;b;c\r\n1;\"2;3\";\"say \"\"hi\"\"\"\r\n") == [
                ["a", "b", "c"], ["1", "2;3", "say \"hi\""],
            ])
        #expect(DelimitedText.parse("a,b\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(DelimitedText.parse("a;b\n\"multi\nline\";x\n") == [["a", "b"], ["multi\nline", "x"]])
        #expect(DelimitedText.parse("a;\"open") == nil)
        #expect(DelimitedText.parse("") == [])
    }

    @Test func theTemplateHasEveryColumn() {
        let header = EvaluationImport.header(design: Self.design, instruments: Self.instruments)
        #expect(header.prefix(3) == ["cpr", "baseline_dato", "samtykke"])
        #expect(header.contains("baseline_who5_5") && header.contains("6mdr_who5_1") && header.contains("6mdr_timer"))
        #expect(!header.contains("baseline_timer"))
    }

    @Test func aGoodFileReadsRowByRow() throws {
        let table = [
            ["CPR", "baseline_dato", "samtykke", "baseline_who5_1", "baseline_who5_2", "6mdr_timer"],
            ["010190-1234", "01.06.2026", "ja", "3", "", "2,5"],
            ["", "", "", "", "", ""],
            ["1505850987", "46000", "Ja", "0", "5", ""],
        ]
        let rows = try EvaluationImport.read(
            table, design: Self.design, instruments: Self.instruments, today: Self.today
        )
        .get()
        #expect(rows.map(\.line) == [2, 4])
        #expect(rows[0].baseline == CalendarDate(year: 2026, month: 6, day: 1) && rows[0].consent)
        #expect(rows[0].answers == ["baseline": ["who5": ["1": 3]]])
        #expect(rows[0].fields == ["6mdr": ["timer": Decimal(string: "2.5")!]])
        // 46000 is a spreadsheet's date serial: 9 December 2025.
        #expect(rows[1].baseline == CalendarDate(year: 2025, month: 12, day: 9))
        #expect(rows[1].answers["baseline"]?["who5"] == ["1": 0, "2": 5])
    }

    @Test func everyBadCellIsNamedAndNoNumberRepeated() {
        let table = [
            ["cpr", "baseline_dato", "samtykke", "baseline_who5_1", "6mdr_timer"],
            ["3102901234", "2026-13-01", "måske", "6", "-1"],
            ["101901234", "", "ja", "9223372036854775807", "1e9"],
            ["0101901234", "", "ja", "", ""],
            ["010190-1234", "", "ja", "", ""],
            ["", "", "", "2", ""],
        ]
        guard
            case .failure(let failure) = EvaluationImport.read(
                table, design: Self.design, instruments: Self.instruments, today: Self.today)
        else {
            Issue.record("accepted")
            return
        }
        let texts = failure.all.map(\.danishText)
        #expect(texts.contains("Række 2, kolonne cpr: CPR-nummerets første 6 cifre er ikke en dato, der findes."))
        #expect(texts.contains { $0.hasPrefix("Række 2, kolonne baseline_dato:") })
        #expect(texts.contains("Række 2, kolonne samtykke: Skriv ja eller nej."))
        #expect(texts.contains("Række 2, kolonne baseline_who5_1: Svaret skal være et helt tal på skalaen 0–5."))
        #expect(texts.contains { $0.hasPrefix("Række 2, kolonne 6mdr_timer:") })
        #expect(texts.contains { $0.hasPrefix("Række 3, kolonne cpr: CPR-nummeret har 9 cifre") })
        #expect(texts.contains { $0.hasPrefix("Række 3, kolonne baseline_who5_1:") })
        #expect(texts.contains { $0.hasPrefix("Række 3, kolonne 6mdr_timer:") })
        #expect(texts.contains("Række 5, kolonne cpr: Samme borger som i række 4."))
        #expect(texts.contains("Række 6, kolonne cpr: CPR-nummeret mangler."))
        #expect(!texts.joined().contains("3102901234") && !texts.joined().contains("0101901234"))
    }

    @Test func aWrongHeaderIsRefusedBeforeAnyRow() {
        let unknown = EvaluationImport.read(
            [["cpr", "sdq_1", "cpr"], ["0101901234", "1", "x"]], design: Self.design, instruments: Self.instruments,
            today: Self.today)
        guard case .failure(let failure) = unknown else {
            Issue.record("accepted")
            return
        }
        #expect(
            failure.all.map(\.danishText) == [
                "Række 1, kolonne sdq_1: Kolonnen findes ikke i evalueringens skabelon.",
                "Række 1, kolonne cpr: Kolonnen står to gange.",
            ])
        guard
            case .failure(let missing) = EvaluationImport.read(
                [["baseline_dato"], ["01.01.2026"]], design: Self.design, instruments: Self.instruments,
                today: Self.today)
        else { return }
        #expect(missing.all.map(\.column) == ["cpr"])
        guard
            case .failure(let empty) = EvaluationImport.read(
                [["cpr"]], design: Self.design, instruments: Self.instruments, today: Self.today)
        else { return }
        #expect(empty.all.first?.message == "Filen har ingen rækker med borgere.")
    }

    @Test func spreadsheetSerialsAreDatesInRange() {
        #expect(CalendarDate(spreadsheetSerial: "61") == CalendarDate(year: 1900, month: 3, day: 1))
        #expect(CalendarDate(spreadsheetSerial: "45658") == CalendarDate(year: 2025, month: 1, day: 1))
        for bad in ["60", "0", "-5", "999999", "12.5", "abc", ""] {
            #expect(CalendarDate(spreadsheetSerial: bad) == nil, "\(bad)")
        }
    }
}

@Suite struct ImprovementRateTests {
    static func citizen(_ before: [Int]?, _ after: [Int]?) -> CitizenData {
        var answers: [String: [String: (version: Int, values: [String: Int])]] = [:]
        if let before { answers["baseline"] = ["who5": (1, EvaluationTests.answers(before))] }
        if let after { answers["12mdr"] = ["who5": (1, EvaluationTests.answers(after))] }
        return CitizenData(group: "Aarhus Kommune", answers: answers)
    }

    @Test func theShareWithAMeaningfulImprovementAmongThoseMeasuredTwice() {
        let citizens = [
            Self.citizen([2, 2, 2, 2, 2], [4, 4, 3, 2, 2]),  // 40 → 60: +20, better
            Self.citizen([2, 2, 2, 2, 2], [3, 3, 2, 2, 2]),  // 40 → 48: +8, not meaningful
            Self.citizen([4, 4, 4, 4, 4], [2, 2, 2, 2, 2]),  // 80 → 40: worse
            Self.citizen([2, 2, 2, 2, 2], nil),  // not followed up: left out
            Self.citizen([2, 2, 2, 2, 2], [3, 3, 2, 2, 3]),  // 40 → 52: +12, better
        ]
        let result = EvaluationOverview.improvementRate(
            instrument: "who5", from: "baseline", to: "12mdr", instruments: ["who5": [1: .who5]], citizens: citizens)
        #expect(result.compared == 4 && result.rate == 50)
        // Nobody measured twice, or an instrument without a meaningful change: no rate.
        #expect(
            EvaluationOverview.improvementRate(
                instrument: "who5", from: "baseline", to: "12mdr", instruments: ["who5": [1: .who5]],
                citizens: [Self.citizen([1, 1, 1, 1, 1], nil)]
            ).rate == nil)
        var plain = Instrument.who5
        plain.scoring.meaningfulChange = nil
        #expect(
            EvaluationOverview.improvementRate(
                instrument: "who5", from: "baseline", to: "12mdr", instruments: ["who5": [1: plain]],
                citizens: citizens
            ).rate == nil)
    }

    @Test func aRateFromTheDataNeedsAReasonToDiffer() {
        var input = BusinessCaseInput(
            title: "x", priceLevel: 2024, firstYear: 2024, horizon: 2, successRateNew: 50, successRateCurrent: 0,
            cohorts: [10], consequences: [], costs: [],
            successRateSource: RateSource(description: "evalueringen", rate: 50, citizens: 8))
        #expect(input.problems().isEmpty)
        input.successRateNew = 40
        #expect(input.problems().map(\.path) == ["successRateOverrideReason"])
        input.successRateOverrideReason = "Kun halvdelen fulgte forløbet."
        #expect(input.problems().isEmpty)
    }
}

/// The exports made in the background: their files, progress and lifetimes.
@Suite struct ExportJobTests {
    @Test func aFileIsNamedByItsFormAndFormatAndNothingElse() {
        #expect(EvaluationExport.File(name: "lang.csv") == .init(form: .long, format: .csv))
        #expect(EvaluationExport.File(name: "bred.xlsx")?.downloadName == "evaluering-bred.xlsx")
        for name in ["", "lang", "lang.", ".csv", "lang.csv.csv", "LANG.CSV", "lang.xls", "../lang.csv", "lang.csv\n"] {
            #expect(EvaluationExport.File(name: name) == nil, "\(name)")
        }
        #expect(EvaluationExport.File(form: .wide, format: .xlsx).danishName == "Bred form, regneark (XLSX)")
        for form in EvaluationExport.Form.allCases {
            for format in EvaluationExport.Format.allCases {
                let file = EvaluationExport.File(form: form, format: format)
                #expect(EvaluationExport.File(name: file.name) == file)
            }
        }
    }

    @Test func aSheetHoldsExcelsRowsAndACSVAny() {
        #expect(EvaluationExport.fits(rows: 1_048_575, in: .xlsx))
        #expect(!EvaluationExport.fits(rows: 1_048_576, in: .xlsx))
        #expect(EvaluationExport.fits(rows: Int.max, in: .csv))
    }

    @Test func progressIsWholePerCentOfTheCitizens() {
        #expect(ExportJobProgress(done: 0, total: 0).percent == 0)
        #expect(ExportJobProgress(done: 1, total: 3).percent == 33)
        #expect(ExportJobProgress(done: 2, total: 3).percent == 66)
        #expect(ExportJobProgress(done: 3, total: 3).percent == 100)
        // More done than the total (citizens enrolled while it ran) is 100, never more; nothing is negative.
        #expect(ExportJobProgress(done: 5, total: 3).percent == 100)
        #expect(ExportJobProgress(done: -5, total: -3).percent == 0)
        #expect(ExportJobProgress(done: Int.max, total: Int.max).percent == 100)
        #expect(ExportJobProgress(done: 1234, total: 43_479).danishText == "1.234 af 43.479 borgere (2 %)")
        #expect(ExportJobProgress(done: 0, total: 1).danishText == "0 af 1 borger (0 %)")
    }

    @Test func aFileLivesADayAndAWorkerTwoMinutesWithoutAReport() {
        let finished = Date(timeIntervalSince1970: 1_800_000_000)
        let expiry = ExportJobRules.expiry(finishedAt: finished)
        #expect(expiry.timeIntervalSince(finished) == 86_400)
        #expect(!ExportJobRules.isExpired(expiry, at: expiry.addingTimeInterval(-1)))
        #expect(ExportJobRules.isExpired(expiry, at: expiry))
        #expect(!ExportJobRules.isStale(heartbeat: finished, at: finished.addingTimeInterval(119)))
        #expect(ExportJobRules.isStale(heartbeat: finished, at: finished.addingTimeInterval(120)))
        #expect(ExportJobStatus.allCases.filter(\.isFinished) == [.ready, .failed, .removed])
    }
}

/// The overview per municipality and measurement point, on answer sets worked out by hand.
@Suite struct EvaluationOverviewTests {
    static let design = EvaluationDesign(
        points: [
            MeasurementPoint(
                key: "baseline", name: "Baseline", monthsAfterBaseline: 0, windowDays: 0, instruments: ["who5"]),
            MeasurementPoint(
                key: "6mdr", name: "6 måneder", monthsAfterBaseline: 6, windowDays: 30, instruments: ["who5"]),
        ], fields: [])

    static func citizen(_ group: String, _ points: [String: [Int]]) -> CitizenData {
        CitizenData(
            group: group,
            answers: points.mapValues { ["who5": (Instrument.who5.version, EvaluationTests.answers($0))] })
    }

    /// Aarhus: 60 → 80 (better by 20), 40 → 44 (4: not meaningful), 100 → 60 (worse by 40), 60 at baseline
    /// only, one with nothing. Vejle: 20 → 60 (better by 40), one with nothing.
    static let citizens = [
        citizen("Aarhus", ["baseline": [3, 3, 3, 3, 3], "6mdr": [4, 4, 4, 4, 4]]),
        citizen("Aarhus", ["baseline": [2, 2, 2, 2, 2], "6mdr": [2, 2, 2, 2, 3]]),
        citizen("Aarhus", ["baseline": [5, 5, 5, 5, 5], "6mdr": [3, 3, 3, 3, 3]]),
        citizen("Aarhus", ["baseline": [3, 3, 3, 3, 3]]),
        citizen("Aarhus", [:]),
        citizen("Vejle", ["baseline": [1, 1, 1, 1, 1], "6mdr": [3, 3, 3, 3, 3]]),
        citizen("Vejle", [:]),
    ]

    static let instruments = ["who5": [Instrument.who5.version: Instrument.who5]]

    @Test func eachCellCountsItsCitizensAndTheTotalAll() throws {
        let overview = EvaluationOverview.compute(
            design: Self.design, instruments: Self.instruments, citizens: Self.citizens, suppress: false)
        #expect(overview.rows.map(\.group) == ["Aarhus", "Vejle"])
        let aarhus = try #require(overview.rows.first?.cells)
        let baseline = try #require(aarhus["baseline"])
        #expect(baseline.enrolled == 5 && baseline.complete == 4)
        #expect(
            baseline.instruments == [
                .init(
                    instrument: "who5", scored: 4, meanScore: 65, flagged: 1, compared: 0, improved: 0, worsened: 0)
            ])
        let followUp = try #require(aarhus["6mdr"])
        #expect(followUp.enrolled == 5 && followUp.complete == 3)
        #expect(
            followUp.instruments == [
                .init(
                    instrument: "who5", scored: 3, meanScore: Decimal(string: "61.3"), flagged: 1, compared: 3,
                    improved: 1, worsened: 1)
            ])
        let total = try #require(overview.total.cells["6mdr"])
        #expect(total.enrolled == 7 && total.complete == 4)
        #expect(
            total.instruments == [
                .init(instrument: "who5", scored: 4, meanScore: 61, flagged: 1, compared: 4, improved: 2, worsened: 1)
            ])
        #expect(overview.total.cells["baseline"]?.instruments.first?.meanScore == 56)
    }

    @Test func theOrderOfTheCitizensChangesNothingAndSmallCellsAreWithheld() throws {
        let forward = EvaluationOverview.compute(
            design: Self.design, instruments: Self.instruments, citizens: Self.citizens, suppress: true)
        let backward = EvaluationOverview.compute(
            design: Self.design, instruments: Self.instruments, citizens: Self.citizens.reversed(), suppress: true)
        #expect(forward.rows.map(\.cells) == backward.rows.map(\.cells))
        #expect(forward.total.cells == backward.total.cells)
        // Vejle's two are withheld, and Aarhus with them (the total would give Vejle away); the total of 7 shows.
        #expect(forward.rows.allSatisfy { $0.cells.values.allSatisfy(\.suppressed) })
        #expect(forward.total.cells["baseline"]?.suppressed == false && forward.total.cells["baseline"]?.enrolled == 7)
        // An evaluation with no citizens has rows for none and a total of zeros.
        let empty = EvaluationOverview.compute(
            design: Self.design, instruments: Self.instruments, citizens: [], suppress: false)
        #expect(empty.rows.isEmpty && empty.total.cells["6mdr"]?.enrolled == 0)
        #expect(empty.total.cells["6mdr"]?.instruments.first?.meanScore == nil)
    }
}

@Suite struct InstrumentScoreMemoTests {
    @Test func aRememberedScoreIsTheScoreAndAnUnknownVersionNone() {
        var memo = InstrumentScoreMemo(instruments: ["who5": [1: .who5]])
        let answers = EvaluationTests.answers([3, 3, 3, 2, 2])
        let first = memo.score("who5", version: 1, values: answers)
        #expect(first == Instrument.who5.score(answers) && first?.score == 52)
        #expect(memo.score("who5", version: 1, values: answers) == first)
        #expect(memo.score("who5", version: 2, values: answers) == nil)
        #expect(memo.score("other", version: 1, values: answers) == nil)
    }
}
