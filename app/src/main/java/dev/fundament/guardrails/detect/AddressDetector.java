package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postal addresses: a house number with a street name in the English style ("14 Crown Street"), the
 * continental style ("Hauptstraße 5", "Via Franscini 71", "Puruntie 82"), apartment and suite
 * numbers, and a postal code with town right after a street.
 */
public final class AddressDetector implements Detector {

    private static final String NAME = "[A-ZÀ-Ý][\\p{L}'.-]*";
    private static final Pattern ENGLISH = Pattern.compile("(?<![\\w-])\\d{1,5}[A-Za-z]?,? (?:" + NAME + " ){0,3}" + NAME
            + "? ?(?:Street|St\\.|Avenue|Ave\\.?|Road|Rd\\.?|Lane|Ln\\.?|Boulevard|Blvd\\.?|Drive|Dr\\.|Way|Court|Ct\\.?|Place|"
            + "Pl\\.|Square|Squares|Terrace|Parkway|Pkwy|Highway|Hwy|Crescent|Close|Gardens|Row|Mews|Circle|Trail|Hill)\\b");
    private static final Pattern CONTINENTAL = Pattern.compile("(?<![\\w-])(?:(?:Via|Viale|Rue|Avenue|Avenida|Calle|Rua|Piazza|Plaza|"
            + "Ulica|ul\\.|Carrer|Strada|Boulevard|Chemin|Route|Am|An der|Auf der|Im|In der|Zum|Zur) (?:" + NAME + " ?){1,3}|"
            + "[A-ZÄÖÜ][\\p{L}-]*(?:straße|strasse|str\\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad|markt|"
            + "katu|kuja|tie|polku|vej|veien|vegen|gata|gatan|vägen|gade|straat|laan|plein|utca|út|ulica|iela|tänav|gatve)) "
            + "\\d{1,5}(?: ?[a-zA-Z])?\\b");
    private static final Pattern UNIT = Pattern.compile("\\b(?:Apt\\.?|Apartment|Suite|Unit|Flat|Wohnung|Whg\\.) ?#?\\d{1,5}[A-Za-z]?\\b");
    private static final Pattern POSTAL_TOWN = Pattern.compile("[,\\n ]{1,3}(?:[A-Z]{1,2}-?)?\\d{4,5} [A-ZÄÖÜ][\\p{L}-]+(?: [A-ZÄÖÜ][\\p{L}-]+)?");

    @Override
    public String name() {
        return "address";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.ADDRESS);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        streets(s, ENGLISH, out);
        streets(s, CONTINENTAL, out);
        Matcher unit = UNIT.matcher(s);
        while (unit.find()) {
            out.add(new Finding(Category.ADDRESS, name(), unit.start(), unit.end(), 0.7));
        }
    }

    private void streets(String s, Pattern pattern, List<Finding> out) {
        Matcher m = pattern.matcher(s);
        while (m.find()) {
            int end = m.end();
            Matcher town = POSTAL_TOWN.matcher(s).region(end, s.length());
            if (town.lookingAt()) {
                end = town.end();
            }
            out.add(new Finding(Category.ADDRESS, name(), m.start(), end, 0.75));
        }
    }
}
