package painters.eval.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Every field comes back as written: plans with commas, quotes, line breaks; numbers at their stated precision. */
class CsvTest {

    @Test
    void fieldsRoundTripThroughAnRfc4180Reader() throws Exception {
        List<String> plan = List.of("full", "0-4,P(5-7)x3,8-11", "a \"quoted\" name", "two\nlines", "", "0.123457");
        String text = Csv.withHeader("kind", "plan", "name", "note", "empty", "value")
                .row(plan.get(0), plan.get(1), plan.get(2), plan.get(3), null, Csv.fixed(0.1234567, 6)).text();
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
        assertEquals(2, records.size());
        assertEquals(List.of("kind", "plan", "name", "note", "empty", "value"), records.get(0).toList());
        assertEquals(plan, records.get(1).toList());
        // the exact text: quoted only where a field needs it, rows ending in \n
        assertEquals("kind,plan,name,note,empty,value\nfull,\"0-4,P(5-7)x3,8-11\",\"a \"\"quoted\"\" name\",\"two\nlines\",,"
                + "0.123457\n", text);
    }

    /** Negative control: the hand-written way (fields joined with commas) splits a plan into pieces. */
    @Test
    void joiningByHandWouldSplitAPlan() throws Exception {
        String joined = String.join(",", "full", "0-4,P(5-7)x3,8-11") + "\n";
        assertEquals(4, CSVFormat.RFC4180.parse(new StringReader(joined)).getRecords().get(0).size());
    }

    @Test
    void fixedIsLocaleFree() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("3.142", Csv.fixed(Math.PI, 3));
        } finally {
            Locale.setDefault(before);
        }
    }
}
