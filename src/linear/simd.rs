//! Runs hot loops compiled for AVX2 when the CPU has it.
//!
//! The optimizer's vector passes are simple multiply-add loops that the
//! compiler vectorizes; the default x86-64 target only allows 2-wide SSE2.
//! `avx2_variant!` defines, next to an
//! `#[inline(always)]` kernel, a dispatcher that runs a copy of it compiled
//! with AVX2 when the CPU supports it. The arithmetic is the same (separate
//! multiplies and adds in the same order per lane, never fused), so results
//! are bit-identical with and without AVX2.

/// Whether the CPU supports AVX2 (cached by the standard library).
#[inline]
pub(crate) fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `avx2_variant!(fn dispatcher = kernel(a: A, b: B) -> R);` defines
/// `dispatcher(a, b)`, which calls an AVX2 build of `kernel` when possible.
/// `kernel` must be `#[inline(always)]` so it is compiled into the AVX2 copy.
macro_rules! avx2_variant {
    ($vis:vis fn $name:ident = $kernel:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)?) => {
        #[inline]
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                unsafe fn avx2($($arg: $ty),*) $(-> $ret)? {
                    $kernel($($arg),*)
                }
                if $crate::linear::simd::has_avx2() {
                    // SAFETY: `avx2` only requires AVX2, which the CPU supports
                    // (checked just above).
                    return unsafe { avx2($($arg),*) };
                }
            }
            $kernel($($arg),*)
        }
    };
}
pub(crate) use avx2_variant;
