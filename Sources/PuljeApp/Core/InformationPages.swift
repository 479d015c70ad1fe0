import PuljeHTML
import Vapor

/// The pages every Danish public site links from its footer: the accessibility statement, how personal data
/// is handled, and help. Plain text; what they say must stay true of the system (the README lists the same).
enum InformationPages {
    @Sendable static func accessibility(req: Request) async throws -> Response {
        Layout.page(title: "Tilgængelighedserklæring", context: req.pageContext()) {
            tag("h1") { "Tilgængelighedserklæring" }
            tag("p", .class("lead")) {
                "Pulje skal kunne bruges af alle. Målet er, at siderne overholder WCAG 2.1 på niveau AA, som loven om tilgængelighed af offentlige organers websteder kræver."
            }
            tag("h2") { "Det er gjort" }
            tag("ul") {
                tag("li") {
                    "Alle sider virker uden JavaScript; autogem og løbende summer er en hjælp, ikke en forudsætning."
                }
                tag("li") { "Siderne er bygget til at kunne bruges med tastaturet alene, og fokus ses tydeligt." }
                tag("li") { "Siderne tilpasser sig skærme ned til 320 pixel i bredden uden vandret rulning af siden." }
                tag("li") { "Fejl vises ved det felt, de gælder, og samlet øverst på siden." }
                tag("li") { "Siderne testes automatisk med axe for alvorlige tilgængelighedsfejl." }
            }
            tag("h2") { "Kendte mangler" }
            tag("ul") {
                tag("li") { "Ansøgningsskemaet er én lang side; det er endnu ikke delt op i trin med en oversigt." }
                tag("li") { "Brede tabeller rulles vandret inden i tabellen på små skærme." }
                tag("li") { "Breve kan udskrives fra browseren, men dannes endnu ikke som PDF." }
            }
            tag("h2") { "Oplever du problemer?" }
            tag("p") {
                "Skriv til styrelsen ved at bruge kontaktoplysningerne på den pulje, du søger, og beskriv, hvilken side og hvilken funktion det drejer sig om."
            }
        }.response(status: .ok)
    }

    @Sendable static func privacy(req: Request) async throws -> Response {
        Layout.page(title: "Sådan behandler vi dine oplysninger", context: req.pageContext()) {
            tag("h1") { "Sådan behandler vi dine oplysninger" }
            tag("p", .class("lead")) {
                "Social- og Boligstyrelsen bruger Pulje til at behandle ansøgninger om tilskud fra Udviklings- og Investeringsprogrammerne."
            }
            tag("h2") { "Hvilke oplysninger" }
            tag("ul") {
                tag("li") { "Om dig som bruger: navn, e-mailadresse, organisation og roller." }
                tag("li") {
                    "Om din brug: hvornår du har logget ind, og hvad du har ændret (hvem, hvornår og hvad), samt den adresse, forespørgslen kom fra."
                }
                tag("li") { "Ansøgningerne: det, I skriver, budgetter, bilag og beskeder i sagen." }
                tag("li") {
                    "Om borgere i evalueringerne: svar på spørgeskemaer (fx WHO-5 om trivsel), tal om forløbet og, hvor evalueringen kræver det, fødselsår, køn og samtykke. Borgeren kendes kun under et pseudonym."
                }
            }
            tag("h2") { "Borgere i evalueringerne" }
            tag("p") {
                "Kommunen indtaster borgerens CPR-nummer én gang. Det omsættes straks til et pseudonym med en hemmelig nøgle, der opbevares uden for databasen, og CPR-nummeret gemmes, logges og vises ikke. Pseudonymet er forskelligt fra evaluering til evaluering. Kommunen ser kun sine egne borgere, evaluator ser alle under pseudonym, og styrelsen ser kun samlede tal uden grupper på færre end 5 borgere. Hver visning, eksport og indtastning logges, og styrelsens databeskyttelsesrådgiver læser loggen. Når evalueringen slutter, slettes eller anonymiseres data om borgerne automatisk. Pseudonymiserede data er stadig personoplysninger."
            }
            tag("h2") { "Hvorfor og hvor længe" }
            tag("p") {
                "Oplysningerne bruges til at behandle ansøgninger og tilskudssager og til at kunne dokumentere sagsbehandlingen. Ændringsloggen gemmes sammen med sagen. Et log ind udløber efter 8 timer uden aktivitet og senest efter 24 timer."
            }
            tag("h2") { "Sikkerhed" }
            tag("p") {
                "Adgangskoder gemmes kun som hashværdier, og databasen gemmer kun en hashværdi af hvert log ind. Kun de, der har brug for det i sagen, kan se den: en kommune ser sine egne ansøgninger, og bedømmere ser kun dem, de er tildelt, efter en habilitetserklæring."
            }
            tag("h2") { "Dine rettigheder" }
            tag("p") {
                "Du har ret til at se de oplysninger, der er registreret om dig, og til at få forkerte oplysninger rettet. Skriv til styrelsen ved at bruge kontaktoplysningerne på den pulje, sagen gælder."
            }
        }.response(status: .ok)
    }

    @Sendable static func help(req: Request) async throws -> Response {
        Layout.page(title: "Hjælp", context: req.pageContext()) {
            tag("h1") { "Hjælp til at søge" }
            tag("h2") { "Frister" }
            tag("p") {
                "Fristen er et klokkeslæt i dansk tid, og det er serverens ur, der afgør den. En ansøgning, der når frem kl. 12.00 eller senere ved en frist kl. 12.00, kan ikke indsendes. Kladden kan stadig læses."
            }
            tag("h2") { "Gem og skriv sammen" }
            tag("p") {
                "Ansøgningen gemmes automatisk, når du holder pause i skrivningen eller forlader et felt, og hver gang du trykker Gem. Kolleger fra samme kommune kan skrive med; gemmer I samtidig, lægges jeres ændringer sammen, og I vælger selv, hvor I har ændret det samme felt."
            }
            tag("h2") { "Indsend og kvittering" }
            tag("p") {
                "Den ansvarlige indsender ansøgningen. I får en kvittering med ansøgningsnummer, tidspunkt til sekundet og en kontrolsum, og kvitteringen sendes til alle på ansøgningen. Det indsendte kan ikke ændres; spørgsmål og svar efter fristen sker som beskeder i sagen."
            }
            tag("p") { tag("a", .href(SiteURL.calls.path)) { "Se puljerne" } }
        }.response(status: .ok)
    }
}
