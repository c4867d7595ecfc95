package io.twt.lab.teacher;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a {@code multipart/form-data} body into its parts by name, as text (the Batch API's file upload). */
final class Multipart {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]+)\"");

    private Multipart() {
    }

    static Map<String, String> parts(String contentType, byte[] body) {
        Map<String, String> parts = new HashMap<>();
        Matcher boundary = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (boundary == null || !boundary.find()) {
            return parts;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        for (String part : text.split("--" + Pattern.quote(boundary.group(1)))) {
            int blank = part.indexOf("\r\n\r\n");
            if (blank < 0) {
                continue;
            }
            Matcher name = NAME.matcher(part.substring(0, blank));
            if (name.find()) {
                String value = part.substring(blank + 4);
                parts.put(name.group(1), value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value);
            }
        }
        return parts;
    }
}
