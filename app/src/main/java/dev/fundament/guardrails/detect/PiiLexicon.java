package dev.fundament.guardrails.detect;

import java.util.Set;

/**
 * Word lists of the person detector, lower-case. The name lists hold many everyday words (the
 * English lists alone have "Will", "May", "Page" and "Price"; the Dutch family names "Best" and
 * "Man"), so a capitalised word is taken as a name only if it is not one of these, or if more than
 * the word itself says so.
 */
final class PiiLexicon {

    private PiiLexicon() {
    }

    /** Never part of a name: function words, sentence openers, greetings, days and months, pronouns. */
    static final Set<String> FUNCTION = Set.of(words("""
            a an the and or but nor if then than so as at by for from in into of off on onto out over per to up via with
            within without about above after against along among around before behind below beside between beyond
            during except inside near since through toward towards under until upon is are was were be been being am
            do does did done have has had having can could shall should will would may might must ought not no yes
            ok okay i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
            this that these those there here where when why how what which who whom whose whatever whoever all any
            both each every few many more most much other some such only own same too very just also even still yet
            again ever never always often sometimes maybe perhaps please thanks thank hello hi hey dear regards best
            kind sincerely cheers yours greetings welcome sorry oh well now today tomorrow yesterday tonight
            monday tuesday wednesday thursday friday saturday sunday january february march april june july august
            september october november december mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct
            nov dec let lets let's i'm i've i'd i'll you're we're they're it's that's there's what's don't can't won't
            isn't aren't wasn't didn't doesn't haven't hasn't couldn't wouldn't shouldn't new old first last next
            one two three four five six seven eight nine ten mr mrs ms miss dr prof sir madam st re fw fwd cc
            name names address phone email mail number date time subject note notes title company customer client
            team all everyone everybody anyone someone nobody none user assistant system question answer summary
            example input output step update warning error info http https www com org net ceo cto cfo vp inc ltd
            llc plc corp gmbh ag co mba phd md dds jr sr ii iii iv god lord jesus christ bible"""));

    /** Everyday words that are also given or family names; a name only next to another name part or in context. */
    static final Set<String> COMMON = Set.of(words("""
            will may mark june april august hope grant bill frank rose faith joy art sky summer autumn winter spring
            dawn page chase miles max ray sun star love king young long white black brown green gray grey red blue gold
            golden silver hill wood woods stone rich price cash baker cook mason hunter carter porter fisher miller
            smith taylor turner walker wood bell ball hall day gay fox wolf bird crane swan drake lamb hope joy honey
            candy crystal amber ruby pearl jade ivy holly lily iris violet daisy heather olive ginger dusty rusty sandy
            stormy misty sunny windy river lake brook ocean sea forest field fields park parks ford bay bridge banks
            lane street road house home land short small little large strong hard sharp sweet fine free gross grand
            noble friend guy man men boy girl child son sons major minor general judge chancellor bishop pope duke
            earl baron prince princess queen knight page marshal constable sheriff major sergeant officer doctor
            nurse guard ward worth power bond case clay cross dale dean early fair gale glen grace hardy hart head
            hood hope irving jack jordan justice key keys lee les long low lowe moody more moss nash nice north
            south east west penny pike pool post rain reading rice rule sage sale salt saint small snow story strand
            street summers swift tall temple thrift tower trust vale vice wall walls waters wells west wise wing
            winters young zen best man can so an in on by to of be do see new van von de la le da del di du der
            the are is was an gene human alpha co ion tone ad ed mo lean modest constant desire chance valid super
            angle room trap tea cup band land root ring plate box block plant tool link loop line game back end start
            date min post lot run fun vast urban graft flux net neck aura marks mark happen passage mast job hold held
            born bud cats rest law laws water school hand read enter top want look take soon lie lies hell worst
            china india georgia paris florence sydney berlin london victoria virginia carolina austin dallas
            christian jewish muslim catholic english french german dutch spanish italian russian card bank credit
            account office work city town village country state university college school church hospital
            hotel airport station museum center centre""".replace("\n", " ")));

    /** A word after a name that makes it a place or a company instead: "Marina Fort Street", "Thomas and Sons". */
    static final Set<String> AFTER_NOT_PERSON = Set.of(words("""
            street st str road rd avenue ave lane ln boulevard blvd drive dr way court ct place pl square sq terrace
            parkway pkwy highway hwy crescent close gardens garden row mews circle trail hill hills park flat flats
            lodge lodges isle island islands point mill mills bypass dale vue view views grove walk bridge port fort
            heights ridge valley village villas green meadow meadows spur station estate estates center centre
            plaza mall route loop crossing junction creek falls harbor harbour haven lake lakes landing manor pass
            pines shore shores springs summit vista well wells wharf inc incorporated llc ltd limited plc corp
            corporation company co group holdings partners associates consulting solutions systems technologies
            services industries international bank capital foundation institute university college school hospital
            club agency labs analytics media ventures brothers sons gmbh ag sa srl bv nv oy ab as kg ohg investments
            investment financial finance insurance enterprises enterprise trust realty motors energy pharma logistics
            networks software communications entertainment records studios studio publishing press news airlines
            foods brands stores markets resources properties development management marketing design research
            health healthcare medical clinic pharmacy restaurant cafe hotels apartments partnership llp lp
            strasse straße platz weg gasse allee"""));

    /** Word-initial street words: "Via Tasso 129", "Rua Igreja 25". */
    static final Set<String> STREET_PREFIX = Set.of(words("""
            via viale vicolo piazza piazzetta corso largo rue avenue av avda avenida calle carrer camino paseo plaza
            rua rúa travessa praça estrada rodovia ul ulica aleja strada bulevardul calea chemin route place boulevard
            rambla ronda ruta"""));

    /** Words before a name ("says Bergqvist.", "directed by Maciej Borkowski") that make a lone family name likely a person. */
    static final Set<String> BEFORE_PERSON = Set.of(words("""
            says said asks asked told tells thanked thanks thank starring featuring feat ft directed written
            written produced composed performed sung painted designed founded led hosted narrated played
            married meet met call called named with"""));

    private static String[] words(String text) {
        return java.util.Arrays.stream(text.strip().split("\\s+")).distinct().toArray(String[]::new);
    }
}
