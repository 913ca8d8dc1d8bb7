use super::kernels::binomial_loss_grad;
use super::*;
use ndarray::Array2;

fn toy(n: usize, p: usize, seed: u64) -> Array2<f64> {
    let mut s = seed;
    Array2::from_shape_fn((n, p), |_| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (s >> 11) as f64 / (1u64 << 53) as f64;
        if u < 0.4 {
            0.0
        } else {
            (u - 0.7) * 3.0
        }
    })
}

fn check_fd<'a>(x: FeatureView<'a>, y: &'a [u32], sw: &'a [f64], classes: usize, intercept: bool) {
    let mut obj = Objective::new(x, y, sw, classes, intercept, 0.7);
    let d = obj.dim();
    let theta: Vec<f64> = (0..d).map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.1).collect();
    let mut g = vec![0.0; d];
    let f0 = obj.value_grad(&theta, &mut g);
    assert!(f0.is_finite());
    let mut scratch = vec![0.0; d];
    for i in 0..d {
        let h = 1e-6;
        let mut tp = theta.clone();
        tp[i] += h;
        let fp = obj.value_grad(&tp, &mut scratch);
        tp[i] -= 2.0 * h;
        let fm = obj.value_grad(&tp, &mut scratch);
        let fd = (fp - fm) / (2.0 * h);
        assert!(
            (fd - g[i]).abs() < 1e-7 * (1.0 + g[i].abs()),
            "component {i}: analytic {} vs finite difference {fd}",
            g[i]
        );
    }
}

/// `H v` against central differences of the gradient along `v`.
fn check_hess_prod<'a>(
    x: FeatureView<'a>,
    y: &'a [u32],
    sw: &'a [f64],
    classes: usize,
    intercept: bool,
) {
    let mut obj = Objective::new(x, y, sw, classes, intercept, 0.7);
    obj.keep_curvature();
    let d = obj.dim();
    let theta: Vec<f64> = (0..d).map(|i| ((i * 37 % 11) as f64 - 5.0) * 0.1).collect();
    let v: Vec<f64> = (0..d).map(|i| ((i * 13 % 7) as f64 - 3.0) * 0.2).collect();
    let mut g = vec![0.0; d];
    obj.value_grad(&theta, &mut g);
    let mut hv = vec![0.0; d];
    obj.hess_prod(&v, &mut hv);
    let h = 1e-5;
    let shifted = |obj: &mut Objective<'_>, sign: f64| {
        let t: Vec<f64> = theta
            .iter()
            .zip(&v)
            .map(|(a, b)| a + sign * h * b)
            .collect();
        let mut g = vec![0.0; d];
        obj.value_grad(&t, &mut g);
        g
    };
    let (gp, gm) = (shifted(&mut obj, 1.0), shifted(&mut obj, -1.0));
    for i in 0..d {
        let fd = (gp[i] - gm[i]) / (2.0 * h);
        assert!(
            (fd - hv[i]).abs() < 1e-6 * (1.0 + hv[i].abs()),
            "component {i}: H v = {} vs finite difference {fd}",
            hv[i]
        );
    }
}

/// Runs `check(x, y, sw, n_classes, fit_intercept)` on an `n x p` toy
/// problem, dense and sparse, multiclass (3) and binary, with and
/// without intercept, and with uneven sample weights.
fn on_toy_problems(
    n: usize,
    p: usize,
    seed: u64,
    check: impl for<'a> Fn(FeatureView<'a>, &'a [u32], &'a [f64], usize, bool),
) {
    let x = toy(n, p, seed);
    let y3: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
    let y2: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
    let sw: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64).collect();
    let csr = CsrMatrix::from_dense(x.view());
    for intercept in [true, false] {
        for (y, k) in [(&y3, 3), (&y2, 2)] {
            check(dense_view(&x), y, &sw, k, intercept);
            check(FeatureView::Sparse(&csr), y, &sw, k, intercept);
        }
    }
}

#[test]
fn hessian_product_matches_finite_differences() {
    on_toy_problems(200, 6, 5, check_hess_prod);
}

#[test]
fn gradient_matches_finite_differences() {
    on_toy_problems(300, 7, 3, check_fd);
}

#[test]
fn dense_and_sparse_agree_and_threads_do_not_matter() {
    let x = toy(700, 300, 9);
    let y: Vec<u32> = (0..700).map(|i| (i % 4) as u32).collect();
    let sw = vec![1.0; 700];
    let csr = CsrMatrix::from_dense(x.view());
    let run = |threads: usize, sparse: bool| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let view = if sparse {
                FeatureView::Sparse(&csr)
            } else {
                dense_view(&x)
            };
            let mut obj = Objective::new(view, &y, &sw, 4, true, 1.0);
            let theta: Vec<f64> = (0..obj.dim()).map(|i| (i % 7) as f64 * 0.01).collect();
            let mut g = vec![0.0; obj.dim()];
            let f = obj.value_grad(&theta, &mut g);
            (f, g)
        })
    };
    let (f1, g1) = run(1, true);
    let (f2, g2) = run(2, true);
    assert_eq!(f1.to_bits(), f2.to_bits());
    assert!(g1.iter().zip(&g2).all(|(a, b)| a.to_bits() == b.to_bits()));
    let (fd, gd) = run(2, false);
    assert!((fd - f1).abs() < 1e-12);
    assert!(gd.iter().zip(&g1).all(|(a, b)| (a - b).abs() < 1e-12));
}

#[test]
fn binomial_branches_are_stable() {
    for z in [-800.0, -40.0, -5.0, 0.0, 5.0, 25.0, 800.0] {
        let (l, g) = binomial_loss_grad(1.0, z);
        assert!(l.is_finite() && g.is_finite(), "z = {z}");
        assert!((-1.0..=0.0).contains(&g));
    }
}
