package io.twt.eval.domain.dashboard;

import io.twt.common.Rejection;
import io.twt.common.TaskKind;
import io.twt.eval.domain.scoring.TaskScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The dashboard as one self-contained HTML page: tables and inline SVG charts, no scripts and nothing
 * fetched from the network, refreshed by the browser every few seconds.
 */
public final class DashboardPage {

    private static final String[] STAGE_COLOURS = {"#7f7f7f", "#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd"};
    private static final String[] TEACHER_COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"};
    private static final int CHART_W = 380;
    private static final int CHART_H = 250;
    private static final int MARGIN = 42;

    private DashboardPage() {
    }

    public static String render(DashboardView view, int refreshSeconds) {
        StringBuilder html = head(new StringBuilder(16_384), "twt evaluation", refreshSeconds)
                .append("<h1>TwT evaluation</h1>\n<p><small>generated ").append(view.generatedAt())
                .append(", code sandbox isolation: ").append(escape(view.sandboxIsolation()))
                .append(", DCRS quality threshold s = ").append(format(view.qualityThreshold(), 2))
                .append("</small></p>\n");
        if (!"BUBBLEWRAP".equals(view.sandboxIsolation())) {
            // a weaker sandbox, or none (code rows not run), is something to see, not a footnote
            html.append("<p class=\"sandbox\"><strong>code sandbox ").append(escape(view.sandboxIsolation()))
                    .append("</strong>: ").append(escape(view.sandboxSummary())).append("</p>\n");
        }
        if (!view.experiments().isEmpty()) {
            html.append("<p id=\"experiments\">experiments:");
            view.experiments().forEach(id -> html.append(" <a href=\"experiments/").append(escape(id)).append("\">")
                    .append(escape(id)).append("</a>"));
            html.append("</p>\n");
        }
        results(html, view.table());
        chart(html, view.table());
        confidence(html, view);
        keepRates(html, view);
        spend(html, view);
        return html.append("</body></html>\n").toString();
    }

    /**
     * One experiment's page: its recipes' every stage beside the teachers, the vanilla student and chance (the paper's
     * Tables 1 and 2 in one), and per task the metric against output tokens, one point per recipe and stage.
     */
    public static String renderExperiment(String experiment, ResultTable table, int refreshSeconds) {
        StringBuilder html = head(new StringBuilder(8_192), "twt experiment " + experiment, refreshSeconds)
                .append("<h1>Experiment ").append(escape(experiment)).append("</h1>\n<p><a href=\"../\">all results</a></p>\n");
        results(html, table);
        chart(html, table);
        return html.append("</body></html>\n").toString();
    }

    /** The page's head (refresh, title, the one style sheet) and the opening body tag. */
    private static StringBuilder head(StringBuilder html, String title, int refreshSeconds) {
        return html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">")
                .append("<title>").append(escape(title)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222;background:#fff}")
                .append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #bbb;padding:4px 10px;")
                .append("text-align:right}th{background:#eef}td.name{text-align:left;font-weight:bold}")
                .append("tr.teacher td{background:#f6f6ff}tr.vanilla td{background:#f4f4f4}")
                .append("svg{border:1px solid #ccc;margin:4px 12px 12px 0;background:#fff}")
                .append("small{color:#666}</style></head><body>\n");
    }

    private static void results(StringBuilder html, ResultTable table) {
        html.append("<h2>Results</h2>\n<table id=\"results\"><tr><th rowspan=\"2\">model</th>");
        for (TaskKind task : TaskKind.values()) {
            html.append("<th colspan=\"3\">").append(task.wire()).append("</th>");
        }
        html.append("</tr><tr>");
        for (TaskKind task : TaskKind.values()) {
            html.append("<th>").append(TaskScore.metricOf(task)).append("</th><th>tokens</th><th>n</th>");
        }
        html.append("</tr>\n");
        if (table.rows().isEmpty()) {
            html.append("<tr><td class=\"name\" colspan=\"10\">no eval reports yet</td></tr>\n");
        }
        for (ResultTable.Row row : table.rows()) {
            html.append("<tr class=\"").append(row.kind().name().toLowerCase(Locale.ROOT)).append("\"><td class=\"name\">")
                    .append(escape(row.name())).append("</td>");
            for (TaskKind task : TaskKind.values()) {
                ResultTable.Cell cell = row.cells().get(task);
                if (cell == null) {
                    html.append("<td>-</td><td>-</td><td>-</td>");
                } else {
                    html.append("<td>").append(format(100 * cell.value(), 2)).append("%</td><td>")
                            .append(format(cell.avgOutputTokens(), 0)).append("</td><td>").append(cell.n()).append("</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** Per task, metric against mean output tokens (log scale): student stages joined per round and recipe. */
    private static void chart(StringBuilder html, ResultTable table) {
        html.append("<h2>Accuracy vs output tokens by stage</h2>\n<div id=\"stage-chart\">");
        for (TaskKind task : TaskKind.values()) {
            double maxTokens = 10;
            for (ResultTable.Row row : table.rows()) {
                ResultTable.Cell cell = row.cells().get(task);
                if (cell != null) {
                    maxTokens = Math.max(maxTokens, cell.avgOutputTokens());
                }
            }
            double decades = Math.ceil(Math.log10(maxTokens));
            svgFrame(html, task.wire() + ": " + TaskScore.metricOf(task) + " vs mean output tokens", true);
            for (int d = 0; d <= decades; d++) {
                double x = xLog(Math.pow(10, d), decades);
                html.append(line(x, CHART_H - MARGIN, x, CHART_H - MARGIN + 4, "#444"))
                        .append(text(x, CHART_H - MARGIN + 16, "middle", String.valueOf((long) Math.pow(10, d))));
            }
            html.append(text(CHART_W / 2.0, CHART_H - 6, "middle", "output tokens (log)"));
            Map<String, List<double[]>> runs = new LinkedHashMap<>();
            for (ResultTable.Row row : table.rows()) {
                ResultTable.Cell cell = row.cells().get(task);
                if (cell == null) {
                    continue;
                }
                double x = xLog(Math.max(1, cell.avgOutputTokens()), decades);
                double y = y(cell.value());
                switch (row.kind()) {
                    case TEACHER -> html.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"#000\"/>", x - 4, y - 4))
                            .append(text(x + 7, y - 5, "start", row.name()));
                    case VANILLA -> html.append(String.format(Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"none\" stroke=\"#555\" stroke-width=\"2\"/>", x, y))
                            .append(text(x + 7, y - 5, "start", "vanilla"));
                    // a constant answer has no tokens to trade: its score is a line across the chart
                    case CHANCE -> html.append(String.format(Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>",
                            MARGIN, y, CHART_W - MARGIN, y)).append(text(CHART_W - MARGIN, y - 4, "end", "chance"));
                    case STUDENT -> runs.computeIfAbsent(row.recipe() + " r" + row.round(), k -> new ArrayList<>())
                            .add(new double[] {x, y, row.stage()});
                }
            }
            SortedSet<Integer> stages = new TreeSet<>();
            runs.values().forEach(points -> points.forEach(p -> stages.add((int) p[2])));
            int legend = 0;
            for (int stage : stages) {
                html.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>",
                        MARGIN + 10, MARGIN + 8 + 13 * legend, STAGE_COLOURS[Math.min(stage, STAGE_COLOURS.length - 1)]))
                        .append(text(MARGIN + 18, MARGIN + 12 + 13 * legend++, "start", "stage " + stage));
            }
            runs.forEach((run, points) -> {
                StringBuilder path = new StringBuilder();
                points.forEach(p -> path.append(format(p[0], 1)).append(',').append(format(p[1], 1)).append(' '));
                html.append("<polyline fill=\"none\" stroke=\"#999\" points=\"").append(path.toString().strip()).append("\"/>");
                for (double[] p : points) {
                    int stage = (int) p[2];
                    html.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>",
                            p[0], p[1], STAGE_COLOURS[Math.min(stage, STAGE_COLOURS.length - 1)]));
                }
            });
            html.append("</svg>");
        }
        html.append("</div>\n");
    }

    /** Per task, each teacher's OK outputs per confidence bin scaled to its own peak, with the threshold s marked. */
    private static void confidence(StringBuilder html, DashboardView view) {
        html.append("<h2>Teacher confidence distribution</h2>\n<div id=\"confidence\">");
        if (view.confidenceHistograms().isEmpty()) {
            html.append("<p>no teacher outputs yet</p>");
        }
        view.confidenceHistograms().forEach((task, byTeacher) -> {
            svgFrame(html, task.wire() + ": confidence (frequency, each teacher to its peak)", false);
            for (int tick = 0; tick <= 4; tick++) {
                double x = xLinear(tick / 4.0);
                html.append(text(x, CHART_H - MARGIN + 16, "middle", format(tick / 4.0, 2)));
            }
            double sx = xLinear(view.qualityThreshold());
            html.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>",
                    sx, MARGIN, sx, CHART_H - MARGIN)).append(text(sx - 3, MARGIN - 4, "end", "s"));
            int colour = 0;
            int legend = 0;
            for (Map.Entry<String, int[]> entry : byTeacher.entrySet()) {
                int[] counts = entry.getValue();
                int total = 0;
                for (int count : counts) {
                    total += count;
                }
                double peak = 0;
                for (int count : counts) {
                    peak = Math.max(peak, (double) count / Math.max(1, total));
                }
                StringBuilder points = new StringBuilder();
                for (int bin = 0; bin < counts.length; bin++) {
                    double share = (double) counts[bin] / Math.max(1, total);
                    points.append(format(xLinear((bin + 0.5) / counts.length), 1)).append(',')
                            .append(format(y(share / Math.max(peak, 1e-9) * 0.95), 1)).append(' ');
                }
                String stroke = TEACHER_COLOURS[colour++ % TEACHER_COLOURS.length];
                html.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(stroke).append("\" points=\"")
                        .append(points.toString().strip()).append("\"/>")
                        .append("<text x=\"").append(MARGIN + 6).append("\" y=\"").append(MARGIN + 12 + 13 * legend++)
                        .append("\" font-size=\"11\" fill=\"").append(stroke).append("\">")
                        .append(escape(entry.getKey() + " (" + total + ")")).append("</text>");
            }
            html.append("</svg>");
        });
        html.append("</div>\n");
    }

    private static void keepRates(StringBuilder html, DashboardView view) {
        html.append("<h2>DCRS keep rates</h2>\n<table id=\"keep-rates\"><tr><th>teacher</th><th>outputs</th><th>OK</th>")
                .append("<th>kept (c &ge; s)</th><th>keep rate</th></tr>\n");
        view.keepRates().values().forEach(keep -> html.append("<tr><td class=\"name\">").append(escape(keep.teacher()))
                .append("</td><td>").append(keep.outputs()).append("</td><td>").append(keep.ok()).append("</td><td>")
                .append(keep.kept()).append("</td><td>").append(format(100 * keep.keepRate(), 1)).append("%</td></tr>\n"));
        html.append("</table>\n");
        DcrsStats.QueryOutcomes outcomes = view.queryOutcomes();
        html.append("<table id=\"query-outcomes\"><tr><th>queries decided</th><th>accepted</th><th>with a diverse pair</th>");
        for (Rejection.Reason reason : Rejection.Reason.values()) {
            html.append("<th>rejected: ").append(reason.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append("</th>");
        }
        html.append("<th>accept rate</th></tr>\n<tr><td>").append(outcomes.decided()).append("</td><td>")
                .append(outcomes.accepted()).append("</td><td>").append(outcomes.acceptedWithPair()).append("</td>");
        for (Rejection.Reason reason : Rejection.Reason.values()) {
            html.append("<td>").append(outcomes.rejected().getOrDefault(reason, 0)).append("</td>");
        }
        html.append("<td>").append(format(100 * outcomes.acceptRate(), 1)).append("%</td></tr>\n</table>\n");
    }

    private static void spend(StringBuilder html, DashboardView view) {
        html.append("<h2>Teacher spend per day</h2>\n<table id=\"teacher-spend\"><tr><th>teacher</th><th>day (UTC)</th>")
                .append("<th>calls</th><th>prompt tokens</th><th>completion tokens</th><th>cost (USD)</th></tr>\n");
        view.spend().forEach((teacher, days) -> days.forEach((day, e) -> html.append("<tr><td class=\"name\">")
                .append(escape(teacher)).append("</td><td>").append(escape(day)).append("</td><td>").append(e.calls())
                .append("</td><td>").append(e.promptTokens()).append("</td><td>").append(e.completionTokens())
                .append("</td><td>").append(format(e.costUsd(), 4)).append("</td></tr>\n")));
        html.append("</table>\n");
    }

    private static void svgFrame(StringBuilder html, String title, boolean percentAxis) {
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_W).append("\" height=\"")
                .append(CHART_H).append("\" font-family=\"sans-serif\" font-size=\"10\">")
                .append(text(CHART_W / 2.0, 16, "middle", title))
                .append(line(MARGIN, MARGIN, MARGIN, CHART_H - MARGIN, "#444"))
                .append(line(MARGIN, CHART_H - MARGIN, CHART_W - 12, CHART_H - MARGIN, "#444"));
        for (int tick = 0; tick <= 4 && percentAxis; tick++) {
            double y = y(tick / 4.0);
            html.append(line(MARGIN - 4, y, MARGIN, y, "#444")).append(text(MARGIN - 6, y + 3, "end", (tick * 25) + "%"));
        }
    }

    private static double xLog(double tokens, double decades) {
        return MARGIN + (CHART_W - MARGIN - 24) * Math.log10(tokens) / Math.max(1, decades);
    }

    private static double xLinear(double unit) {
        return MARGIN + (CHART_W - MARGIN - 24) * unit;
    }

    private static double y(double unit) {
        return CHART_H - MARGIN - (CHART_H - 2 * MARGIN) * unit;
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                x1, y1, x2, y2, stroke);
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor,
                escape(content));
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
