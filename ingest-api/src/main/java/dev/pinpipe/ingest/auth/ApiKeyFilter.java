package dev.pinpipe.ingest.auth;

import dev.pinpipe.ingest.problem.ApiKeyRejectedException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The one API-key check of the pin endpoints, first in their filter chain (before {@code PinFastPath}
 * answers anything): a request without {@value ApiKey#HEADER} or with another value is answered 401
 * by {@code ProblemAdvice}, through Spring MVC's exception resolvers, and goes no further.
 */
final class ApiKeyFilter implements Filter {

    private final ApiKey key;
    private final HandlerExceptionResolver problems;

    ApiKeyFilter(ApiKey key, HandlerExceptionResolver problems) {
        this.key = key;
        this.problems = problems;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String sent = request.getHeader(ApiKey.HEADER);
        if (key.matches(sent)) {
            chain.doFilter(req, res);
            return;
        }
        problems.resolveException(request, (HttpServletResponse) res, null,
                sent == null ? ApiKeyRejectedException.missing() : ApiKeyRejectedException.wrong());
    }
}
