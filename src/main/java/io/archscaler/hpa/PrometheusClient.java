package io.archscaler.hpa;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The two calls of the Prometheus HTTP API the metric source makes, on Vert.x's non-blocking HTTP
 * client: an instant query ({@code GET /api/v1/query}) and series discovery
 * ({@code GET /api/v1/series}). Failures complete the future with a {@link PrometheusException}
 * saying what Prometheus answered.
 */
final class PrometheusClient {
    private static final int MAX_ERROR_CHARS = 300;

    /** One series of an instant vector (or a scalar, without labels). */
    record Sample(Map<String, String> labels, double value, Instant timestamp) {
    }

    /** Prometheus could not be asked, or answered with an error. */
    static final class PrometheusException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PrometheusException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final String base;
    private final long timeoutMillis;

    PrometheusClient(Vertx vertx, URI url, Duration timeout) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        String u = url.toString();
        this.base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        this.timeoutMillis = timeout.toMillis();
    }

    /** Evaluates an instant query now. */
    Future<List<Sample>> query(String promql) {
        return get("/api/v1/query?query=" + encode(promql)).map(PrometheusClient::samples);
    }

    /** The distinct metric names of the series matching {@code match} seen since {@code start}. */
    Future<List<String>> seriesNames(String match, Instant start) {
        return get("/api/v1/series?match%5B%5D=" + encode(match) + "&start=" + start.getEpochSecond())
                .map(data -> {
                    if (!(data instanceof JsonArray series)) {
                        throw new PrometheusException("series answer without a data list");
                    }
                    TreeSet<String> names = new TreeSet<>();
                    for (Object s : series) {
                        if (s instanceof JsonObject labels && labels.getValue("__name__") instanceof String name) {
                            names.add(name);
                        }
                    }
                    return List.copyOf(names);
                });
    }

    Future<Void> close() {
        return http.close();
    }

    private Future<Object> get(String pathAndQuery) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + pathAndQuery)
                .setTimeout(timeoutMillis).putHeader("Accept", "application/json");
        return http.request(options)
                .compose(req -> req.send().compose(resp -> resp.body().map(body -> answer(resp.statusCode(), body))))
                .recover(e -> Future.failedFuture(e instanceof PrometheusException ? e
                        : new PrometheusException("cannot reach Prometheus at " + base + ": " + e.getMessage())));
    }

    private static Object answer(int status, Buffer body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new PrometheusException("HTTP " + status + " without a JSON body: " + excerpt(body.toString()));
        }
        if (!"success".equals(json.getString("status"))) {
            throw new PrometheusException("HTTP " + status + ": " + json.getString("errorType", "error") + ": "
                    + excerpt(json.getString("error", body.toString())));
        }
        return json.getValue("data");
    }

    private static List<Sample> samples(Object data) {
        if (!(data instanceof JsonObject d)) {
            throw new PrometheusException("query answer without data");
        }
        String type = d.getString("resultType");
        Object result = d.getValue("result");
        if ("scalar".equals(type) && result instanceof JsonArray point) {
            return List.of(new Sample(Map.of(), value(point), time(point)));
        }
        if (!"vector".equals(type) || !(result instanceof JsonArray series)) {
            throw new PrometheusException("the query gives a " + type + "; an instant vector or a scalar is needed");
        }
        List<Sample> out = new ArrayList<>();
        for (Object o : series) {
            if (!(o instanceof JsonObject s) || !(s.getValue("value") instanceof JsonArray point)) {
                throw new PrometheusException("a vector element without a value");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            JsonObject metric = s.getJsonObject("metric", new JsonObject());
            metric.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
            out.add(new Sample(labels, value(point), time(point)));
        }
        return out;
    }

    private static double value(JsonArray point) {
        if (point.size() != 2 || !(point.getValue(1) instanceof String text)) {
            throw new PrometheusException("a sample is not [time, \"value\"]: " + excerpt(point.encode()));
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new PrometheusException("a sample value is not a number: " + excerpt(text));
        }
    }

    private static Instant time(JsonArray point) {
        Object t = point.getValue(0);
        if (!(t instanceof Number n)) {
            throw new PrometheusException("a sample time is not a number: " + excerpt(point.encode()));
        }
        BigDecimal seconds = new BigDecimal(n.toString());
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String excerpt(String s) {
        String oneLine = s.strip().replace('\n', ' ');
        return oneLine.length() <= MAX_ERROR_CHARS ? oneLine : oneLine.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
