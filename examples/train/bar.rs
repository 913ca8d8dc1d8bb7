//! A progress bar on stderr for one fit, fed by the library's progress hook
//! (`proba::progress`): trees built for a forest, iterations and loss for
//! logistic regression. It appears only once the fit has taken more than a
//! moment; when stderr is not a terminal it prints a line every 5 s instead.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use proba::progress::{Progress, ProgressEvent};

/// How long a fit runs before its bar appears.
const SHOW_AFTER: Duration = Duration::from_millis(400);

/// The receiving end of the hook: updates the (maybe still hidden) bar.
struct Sink {
    pb: ProgressBar,
    /// Set once the bar's style matches the events (a bar with a length).
    styled: AtomicBool,
    /// One-vs-rest: iterations of many fits, counted, without a length.
    many_fits: bool,
}

impl Progress for Sink {
    fn on_event(&self, event: ProgressEvent) {
        match event {
            ProgressEvent::TreeBuilt { total, .. } => {
                self.style_once(total, "{prefix} [{bar:20}] {pos}/{len} trees {elapsed}");
                self.pb.inc(1);
            }
            ProgressEvent::Iteration {
                iter,
                max_iter,
                loss,
                grad_max,
            } => {
                if self.many_fits {
                    self.pb.inc(1);
                    self.pb.set_message(format!(
                        "{} solver iterations over the labels",
                        self.pb.position()
                    ));
                } else {
                    self.style_once(
                        max_iter,
                        "{prefix} [{bar:20}] iter {pos}/{len} {msg} {elapsed}",
                    );
                    self.pb.set_position(iter as u64);
                    self.pb
                        .set_message(format!("loss {loss:.5} |g| {grad_max:.1e}"));
                }
            }
            _ => {}
        }
    }
}

impl Sink {
    fn style_once(&self, len: usize, template: &str) {
        if !self.styled.swap(true, Ordering::Relaxed) {
            self.pb.set_length(len as u64);
            if let Ok(style) = ProgressStyle::with_template(template) {
                self.pb.set_style(style.progress_chars("=> "));
            }
        }
    }

    /// One line for a log (stderr is not a terminal).
    fn line(&self, elapsed: Duration) -> String {
        let what = self.pb.prefix();
        let s = elapsed.as_secs();
        match (self.styled.load(Ordering::Relaxed), self.pb.length()) {
            (true, Some(len)) => format!(
                "  {what}... {}/{len} {}({s} s)",
                self.pb.position(),
                spaced(&self.pb.message())
            ),
            _ => format!("  {what}... {}({s} s)", spaced(&self.pb.message())),
        }
    }
}

/// `msg` and a space, or nothing.
fn spaced(msg: &str) -> String {
    if msg.is_empty() {
        String::new()
    } else {
        format!("{msg} ")
    }
}

/// A progress display for one fit; call [`FitBar::finish`] when it ends.
pub struct FitBar {
    sink: Arc<Sink>,
    done: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl FitBar {
    /// Starts the display for a fit described by `what` (shown as the
    /// prefix); `many_fits` for one-vs-rest (many logistic regressions).
    pub fn start(what: &str, many_fits: bool) -> FitBar {
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg} {elapsed}") {
            pb.set_style(style);
        }
        pb.set_prefix(what.to_string());
        let sink = Arc::new(Sink {
            pb,
            styled: AtomicBool::new(false),
            many_fits,
        });
        let done = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (sink, done) = (Arc::clone(&sink), Arc::clone(&done));
            std::thread::spawn(move || {
                let start = Instant::now();
                let tty = std::io::stderr().is_terminal();
                let mut shown = false;
                let mut last_line = start;
                while !done.load(Ordering::Relaxed) {
                    std::thread::park_timeout(Duration::from_millis(100));
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                    if tty && !shown && start.elapsed() >= SHOW_AFTER {
                        sink.pb.set_draw_target(ProgressDrawTarget::stderr());
                        sink.pb.enable_steady_tick(Duration::from_millis(120));
                        shown = true;
                    } else if !tty && last_line.elapsed() >= Duration::from_secs(5) {
                        eprintln!("{}", sink.line(start.elapsed()));
                        last_line = Instant::now();
                    }
                }
            })
        };
        FitBar {
            sink,
            done,
            ticker: Some(ticker),
        }
    }

    /// The hook to give to `.progress(...)` of the model's parameters.
    pub fn hook(&self) -> Arc<dyn Progress> {
        self.sink.clone()
    }

    /// Stops and clears the display.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            t.thread().unpark();
            let _ = t.join();
        }
        self.sink.pb.finish_and_clear();
    }
}

impl Drop for FitBar {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `f` with a progress display; `f` gets the hook to pass on.
pub fn with_bar<T>(
    what: &str,
    many_fits: bool,
    f: impl FnOnce(Arc<dyn Progress>) -> T,
) -> (T, Duration) {
    let bar = FitBar::start(what, many_fits);
    let start = Instant::now();
    let out = f(bar.hook());
    let took = start.elapsed();
    bar.finish();
    (out, took)
}
