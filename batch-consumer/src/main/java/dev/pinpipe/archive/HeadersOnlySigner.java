package dev.pinpipe.archive;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 over a plain-http endpoint without hashing the body: the headers are signed and the payload
 * declared {@code UNSIGNED-PAYLOAD}, exactly as the SDK signs every https request.
 *
 * <p>The SDK's signer insists on a SHA-256 of the whole body over http (and the server then hashes it
 * again to check it); on the local S3 server that is most of a PUT's CPU on both sides. The signature
 * covers method, Host header, path, query and headers but not the scheme, so the request is signed in
 * its https form (the signer's https path) and sent as it was. A standard http port becomes the
 * standard https one, so the Host header that was signed is the one the HTTP client sends.
 */
final class HeadersOnlySigner implements AwsV4HttpSigner {

    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** The sigv4 auth scheme (the one S3 resolves to) with this signer. */
    static AwsV4AuthScheme authScheme() {
        HeadersOnlySigner signer = new HeadersOnlySigner();
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        SignedRequest signed = signer.sign(request.copy(r -> r.request(asHttps(request.request()))));
        return signed.copy(r -> r.request(restore(signed.request(), request.request())));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return signer.signAsync(request.copy(r -> r.request(asHttps(request.request()))))
                .thenApply(signed -> signed.copy(r -> r.request(restore(signed.request(), request.request()))));
    }

    private static SdkHttpRequest asHttps(SdkHttpRequest request) {
        SdkHttpRequest.Builder https = request.toBuilder().protocol("https");
        if (request.port() == HTTP_PORT) {
            https.port(HTTPS_PORT);
        }
        return https.build();
    }

    private static SdkHttpRequest restore(SdkHttpRequest signed, SdkHttpRequest original) {
        return signed.toBuilder().protocol(original.protocol()).port(original.port()).build();
    }
}
