package dev.gantry.verceldeploy;

import dev.gantry.common.action.Log;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.Time;
import dev.gantry.common.vercel.CreateDeployment;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.Uploader;
import dev.gantry.common.vercel.VercelClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CLI's create loop ({@code upload.ts}): create; if Vercel answers {@code missing_files}, upload those and
 * create again with the same body, at most {@link #MAX_ROUNDS} times (the CLI does one round; a robust client loops,
 * research §2.5).
 */
final class CreateRounds {
    static final int MAX_ROUNDS = 3;

    private final VercelClient vercel;
    private final Log log;
    private final Time time;
    private final int concurrency;

    CreateRounds(VercelClient vercel, Log log, Time time, int concurrency) {
        this.vercel = vercel;
        this.log = log;
        this.time = time;
        this.concurrency = concurrency;
    }

    Deployment run(CreateDeployment body, VercelClient.CreateQuery query, Payload payload, Report report) {
        for (int round = 1; ; round++) {
            report.createRounds = round;
            VercelClient.CreateResult r = vercel.createDeployment(body, query);
            if (r instanceof VercelClient.Created c) return c.deployment();
            List<String> missing = ((VercelClient.MissingFiles) r).missing();
            if (round >= MAX_ROUNDS) {
                throw failure("Vercel still reports " + missing.size() + " missing file(s) after " + MAX_ROUNDS
                        + " upload rounds");
            }
            List<Uploader.Upload> uploads = new ArrayList<>();
            for (String sha : missing) {
                Uploader.Upload u = payload.uploads().get(sha.toLowerCase(Locale.ROOT));
                if (u == null) throw failure("Vercel asks for a file this deploy does not contain (sha " + sha + ")");
                uploads.add(u);
            }
            long bytes = uploads.stream().mapToLong(Uploader.Upload::size).sum();
            Uploader uploader = vercel.uploader(concurrency);
            log.info("Vercel is missing " + uploads.size() + " of " + payload.uploads().size() + " distinct files ("
                    + Uploader.human(bytes) + "); uploading " + uploader.describeConcurrency());
            Instant t = time.now();
            Uploader.Result res = uploader.upload(uploads);
            report.uploadTime = report.uploadTime.plus(Duration.between(t, time.now()));
            report.uploadedFiles += res.files();
            report.uploadedBytes += res.bytes();
            report.uploadRetries += res.retries();
            report.peakConcurrency = Math.max(report.peakConcurrency, res.peakConcurrency());
        }
    }

    private static ProviderException failure(String message) {
        return new ProviderException(VercelClient.PROVIDER, 400, "missing_files", message, null,
                "POST /v13/deployments", null);
    }
}
