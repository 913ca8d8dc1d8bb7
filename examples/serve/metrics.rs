//! Prometheus text metrics for `GET /metrics`, hand-rolled on atomics: no
//! lock on the request path, a fixed set of route labels (the route
//! templates, so `/models/{name}/predict` is one label whatever the name).
//!
//! * `proba_http_requests_total{route, status}`: a counter per route and
//!   status code;
//! * `proba_http_request_duration_seconds{route}`: a latency histogram per
//!   route (time from routing to the response head, as the handler sees it).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The histogram's upper bounds, in seconds.
pub const BUCKETS: [f64; 14] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
    5.0,
];

/// Status codes are counted in a table indexed by `status - 100`.
const STATUSES: usize = 500;

/// The label for requests that matched no route.
pub const UNMATCHED: &str = "unmatched";

struct RouteStats {
    route: String,
    by_status: Vec<AtomicU64>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl RouteStats {
    fn new(route: &str) -> Self {
        Self {
            route: route.to_string(),
            by_status: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }
}

/// The counters of every route, created once with the router.
pub struct Metrics {
    routes: Vec<RouteStats>,
}

impl Metrics {
    /// Metrics for these route templates (plus [`UNMATCHED`]).
    pub fn new<'a>(routes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut routes: Vec<RouteStats> = routes.into_iter().map(RouteStats::new).collect();
        routes.push(RouteStats::new(UNMATCHED));
        Self { routes }
    }

    /// The index of a route template's counters (`None` or an unknown
    /// template: the [`UNMATCHED`] ones).
    pub fn route_index(&self, route: Option<&str>) -> usize {
        route
            .and_then(|route| self.routes.iter().position(|r| r.route == route))
            .unwrap_or(self.routes.len() - 1)
    }

    /// Counts one answered request on the route of [`Self::route_index`].
    pub fn record(&self, route: usize, status: u16, latency: Duration) {
        let Some(s) = self.routes.get(route) else {
            return;
        };
        if let Some(c) = usize::from(status)
            .checked_sub(100)
            .and_then(|i| s.by_status.get(i))
        {
            c.fetch_add(1, Ordering::Relaxed);
        }
        let secs = latency.as_secs_f64();
        // Buckets are stored non-cumulatively and summed when rendered.
        if let Some(b) = BUCKETS.iter().position(|&le| secs <= le) {
            s.buckets[b].fetch_add(1, Ordering::Relaxed);
        }
        s.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        s.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// The Prometheus text exposition (format 0.0.4) of every route seen.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP proba_http_requests_total HTTP requests answered, by route template and status code.\n\
             # TYPE proba_http_requests_total counter\n",
        );
        for s in &self.routes {
            for (i, c) in s.by_status.iter().enumerate() {
                let n = c.load(Ordering::Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "proba_http_requests_total{{route=\"{}\",status=\"{}\"}} {n}",
                        s.route,
                        i + 100
                    );
                }
            }
        }
        out.push_str(
            "# HELP proba_http_request_duration_seconds Time to answer a request, by route template.\n\
             # TYPE proba_http_request_duration_seconds histogram\n",
        );
        for s in &self.routes {
            let count = s.count.load(Ordering::Relaxed);
            if count == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (le, b) in BUCKETS.iter().zip(&s.buckets) {
                cumulative += b.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "proba_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{le}\"}} {cumulative}",
                    s.route
                );
            }
            let sum = s.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
            let _ = writeln!(
                out,
                "proba_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {count}\n\
                 proba_http_request_duration_seconds_sum{{route=\"{}\"}} {sum}\n\
                 proba_http_request_duration_seconds_count{{route=\"{}\"}} {count}",
                s.route, s.route, s.route
            );
        }
        out
    }
}
