//! The peers: OpenSSL's `X509_verify_cert` (the `path` bench) and `CMS_verify` (the
//! `documents` bench), called in-process.
//!
//! libcrypto is opened at run time with `dlopen("libcrypto.so.3")` (Debian package `libssl3`,
//! which the `openssl` command line the benchmark already needs depends on). Nothing is
//! linked at build time and no OpenSSL headers are needed, so the benchmark builds on a
//! machine without `libssl-dev`; when the library cannot be opened the comparison is
//! skipped with a message. Only the stable exported functions of the OpenSSL 3 ABI are
//! used, every object is handled through an opaque pointer.

use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void, CStr};

extern "C" {
    // glibc (libc.so.6 since 2.34).
    fn dlopen(filename: *const c_char, flags: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *mut c_char;
}

const RTLD_NOW: c_int = 2;
const RTLD_LOCAL: c_int = 0;

type Ptr = *mut c_void;

macro_rules! symbols {
    ($($name:ident: fn($($arg:ty),*) $(-> $ret:ty)?;)*) => {
        /// The libcrypto functions used, resolved once.
        #[allow(non_snake_case)]
        struct Lib {
            $($name: unsafe extern "C" fn($($arg),*) $(-> $ret)?,)*
        }

        impl Lib {
            /// Resolves every symbol in `handle`.
            ///
            /// # Safety
            /// `handle` must come from a successful `dlopen` of OpenSSL 3's libcrypto.
            unsafe fn resolve(handle: *mut c_void) -> Result<Lib, String> {
                Ok(Lib {
                    $($name: {
                        let name = concat!(stringify!($name), "\0");
                        let p = dlsym(handle, name.as_ptr().cast());
                        if p.is_null() {
                            return Err(format!("libcrypto has no symbol {}", stringify!($name)));
                        }
                        std::mem::transmute::<*mut c_void, unsafe extern "C" fn($($arg),*) $(-> $ret)?>(p)
                    },)*
                })
            }
        }
    };
}

symbols! {
    OpenSSL_version: fn(c_int) -> *const c_char;
    ERR_clear_error: fn();
    d2i_X509: fn(*mut Ptr, *mut *const u8, c_long) -> Ptr;
    X509_free: fn(Ptr);
    X509_verify: fn(Ptr, Ptr) -> c_int;
    X509_get0_pubkey: fn(Ptr) -> Ptr;
    X509_set0_distinguishing_id: fn(Ptr, Ptr);
    ASN1_OCTET_STRING_new: fn() -> Ptr;
    ASN1_OCTET_STRING_set: fn(Ptr, *const u8, c_int) -> c_int;
    X509_STORE_new: fn() -> Ptr;
    X509_STORE_add_cert: fn(Ptr, Ptr) -> c_int;
    X509_STORE_free: fn(Ptr);
    X509_STORE_CTX_new: fn() -> Ptr;
    X509_STORE_CTX_init: fn(Ptr, Ptr, Ptr, Ptr) -> c_int;
    X509_STORE_CTX_set_time: fn(Ptr, c_ulong, i64);
    X509_STORE_CTX_get_error: fn(Ptr) -> c_int;
    X509_STORE_CTX_free: fn(Ptr);
    X509_verify_cert: fn(Ptr) -> c_int;
    X509_verify_cert_error_string: fn(c_long) -> *const c_char;
    OPENSSL_sk_new_null: fn() -> Ptr;
    OPENSSL_sk_push: fn(Ptr, *const c_void) -> c_int;
    OPENSSL_sk_free: fn(Ptr);
    OPENSSL_sk_num: fn(Ptr) -> c_int;
    OPENSSL_sk_value: fn(Ptr, c_int) -> Ptr;
    ERR_get_error: fn() -> c_ulong;
    ERR_error_string_n: fn(c_ulong, *mut c_char, usize);
    X509_STORE_get0_param: fn(Ptr) -> Ptr;
    X509_VERIFY_PARAM_set_time: fn(Ptr, i64);
    BIO_new_mem_buf: fn(*const c_void, c_int) -> Ptr;
    BIO_free: fn(Ptr) -> c_int;
    d2i_CMS_ContentInfo: fn(*mut Ptr, *mut *const u8, c_long) -> Ptr;
    CMS_ContentInfo_free: fn(Ptr);
    CMS_get1_certs: fn(Ptr) -> Ptr;
    CMS_verify: fn(Ptr, Ptr, Ptr, Ptr, Ptr, c_uint) -> c_int;
}

/// An opened libcrypto.
pub struct OpenSsl {
    lib: Lib,
}

impl OpenSsl {
    /// Opens `libcrypto.so.3` (never closed: it lives as long as the process).
    pub fn load() -> Result<OpenSsl, String> {
        // SAFETY: dlopen/dlerror with a NUL-terminated name; the handle is only used for dlsym.
        unsafe {
            let handle = dlopen(c"libcrypto.so.3".as_ptr(), RTLD_NOW | RTLD_LOCAL);
            if handle.is_null() {
                let err = dlerror();
                let why = if err.is_null() {
                    "unknown error".into()
                } else {
                    CStr::from_ptr(err).to_string_lossy()
                };
                return Err(format!("cannot open libcrypto.so.3: {why}"));
            }
            Ok(OpenSsl {
                lib: Lib::resolve(handle)?,
            })
        }
    }

    /// The library's version text, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
    pub fn version(&self) -> String {
        // SAFETY: OpenSSL_version(OPENSSL_VERSION) returns a static NUL-terminated string.
        unsafe {
            CStr::from_ptr((self.lib.OpenSSL_version)(0))
                .to_string_lossy()
                .into_owned()
        }
    }

    fn parse(&self, der: &[u8]) -> Result<Ptr, String> {
        let mut p = der.as_ptr();
        let len = c_long::try_from(der.len()).map_err(|_| "certificate too large".to_string())?;
        // SAFETY: d2i_X509 reads at most `len` bytes from `p` and returns a new X509 or NULL.
        let x = unsafe { (self.lib.d2i_X509)(std::ptr::null_mut(), &mut p, len) };
        if x.is_null() {
            return Err("OpenSSL cannot decode a certificate".into());
        }
        Ok(x)
    }

    /// Sets the SM2 distinguishing ID OpenSSL verifies `x`'s signature with. Without it
    /// OpenSSL 3.0 verifies SM2 certificate signatures with an empty ID and fails.
    fn set_sm2_id(&self, x: Ptr, id: &[u8]) -> Result<(), String> {
        let len = c_int::try_from(id.len()).map_err(|_| "SM2 ID too long".to_string())?;
        // SAFETY: a fresh ASN1_OCTET_STRING, filled from `id` (copied), then owned by `x`.
        unsafe {
            let s = (self.lib.ASN1_OCTET_STRING_new)();
            if s.is_null() || (self.lib.ASN1_OCTET_STRING_set)(s, id.as_ptr(), len) != 1 {
                return Err("ASN1_OCTET_STRING_set failed".into());
            }
            (self.lib.X509_set0_distinguishing_id)(x, s);
        }
        Ok(())
    }
}

/// One root → intermediate → leaf chain loaded into OpenSSL: the root in an `X509_STORE`,
/// the intermediate in the untrusted stack, the leaf as the target.
pub struct Chain<'a> {
    ssl: &'a OpenSsl,
    store: Ptr,
    untrusted: Ptr,
    root: Ptr,
    intermediate: Ptr,
    leaf: Ptr,
    time: i64,
}

impl<'a> Chain<'a> {
    /// Decodes the three certificates; `sm2_id` is set on the two that are verified.
    pub fn new(
        ssl: &'a OpenSsl,
        root: &[u8],
        intermediate: &[u8],
        leaf: &[u8],
        time: i64,
        sm2_id: Option<&[u8]>,
    ) -> Result<Chain<'a>, String> {
        let mut chain = Chain {
            ssl,
            store: std::ptr::null_mut(),
            untrusted: std::ptr::null_mut(),
            root: std::ptr::null_mut(),
            intermediate: std::ptr::null_mut(),
            leaf: std::ptr::null_mut(),
            time,
        };
        chain.root = ssl.parse(root)?;
        chain.intermediate = ssl.parse(intermediate)?;
        chain.leaf = ssl.parse(leaf)?;
        if let Some(id) = sm2_id {
            ssl.set_sm2_id(chain.intermediate, id)?;
            ssl.set_sm2_id(chain.leaf, id)?;
        }
        let l = &ssl.lib;
        // SAFETY: objects created here are freed in Drop; add_cert and push do not take
        // ownership away from us (the store takes its own reference, the stack borrows).
        unsafe {
            chain.store = (l.X509_STORE_new)();
            chain.untrusted = (l.OPENSSL_sk_new_null)();
            if chain.store.is_null()
                || chain.untrusted.is_null()
                || (l.X509_STORE_add_cert)(chain.store, chain.root) != 1
                || (l.OPENSSL_sk_push)(chain.untrusted, chain.intermediate) <= 0
            {
                return Err("cannot set up the X509_STORE".into());
            }
        }
        Ok(chain)
    }

    /// One `X509_verify_cert` with a fresh `X509_STORE_CTX` at the chain's validation
    /// time (no CRLs, OpenSSL's default verification flags).
    pub fn verify(&self) -> Result<(), String> {
        let l = &self.ssl.lib;
        // SAFETY: ctx is created, used and freed here; store, leaf and stack outlive it.
        unsafe {
            let ctx = (l.X509_STORE_CTX_new)();
            if ctx.is_null() {
                return Err("X509_STORE_CTX_new failed".into());
            }
            let mut result = Ok(());
            if (l.X509_STORE_CTX_init)(ctx, self.store, self.leaf, self.untrusted) != 1 {
                result = Err("X509_STORE_CTX_init failed".into());
            } else {
                (l.X509_STORE_CTX_set_time)(ctx, 0, self.time);
                if (l.X509_verify_cert)(ctx) != 1 {
                    let code = (l.X509_STORE_CTX_get_error)(ctx);
                    let text =
                        CStr::from_ptr((l.X509_verify_cert_error_string)(c_long::from(code)));
                    result = Err(format!(
                        "X509_verify_cert: error {code}: {}",
                        text.to_string_lossy()
                    ));
                    (l.ERR_clear_error)();
                }
            }
            (l.X509_STORE_CTX_free)(ctx);
            result
        }
    }

    /// OpenSSL's raw cost: `X509_verify` of the intermediate with the root's key and of the
    /// leaf with the intermediate's key. True when both verify.
    pub fn raw_verifies(&self) -> bool {
        let l = &self.ssl.lib;
        // SAFETY: X509_get0_pubkey returns a key owned by the certificate, valid while it lives.
        unsafe {
            let a = (l.X509_verify)(self.intermediate, (l.X509_get0_pubkey)(self.root));
            let b = (l.X509_verify)(self.leaf, (l.X509_get0_pubkey)(self.intermediate));
            a == 1 && b == 1
        }
    }
}

impl Drop for Chain<'_> {
    fn drop(&mut self) {
        let l = &self.ssl.lib;
        // SAFETY: each pointer is NULL or owned by this Chain; the free functions accept NULL.
        unsafe {
            if !self.untrusted.is_null() {
                (l.OPENSSL_sk_free)(self.untrusted);
            }
            (l.X509_STORE_free)(self.store);
            (l.X509_free)(self.root);
            (l.X509_free)(self.intermediate);
            (l.X509_free)(self.leaf);
        }
    }
}

/// `CMS_BINARY` (cms.h): do not translate the content to canonical MIME (CRLF) form.
const CMS_BINARY: c_uint = 0x80;

/// OpenSSL's `CMS_verify` on detached-content SignedData, with one trust anchor in an
/// `X509_STORE` whose verification time is fixed (`X509_VERIFY_PARAM_set_time` on the store's
/// parameters, which the context `CMS_verify` makes inherits). No CRLs, OpenSSL's default
/// flags plus `CMS_BINARY`.
pub struct CmsVerifier<'a> {
    ssl: &'a OpenSsl,
    store: Ptr,
    root: Ptr,
    sm2_id: Option<Vec<u8>>,
}

impl<'a> CmsVerifier<'a> {
    /// A store holding `root` (DER), verifying at `time`. With `sm2_id`, every certificate
    /// a document carries gets that distinguishing ID before verification (see
    /// [`Chain::new`]).
    pub fn new(
        ssl: &'a OpenSsl,
        root: &[u8],
        time: i64,
        sm2_id: Option<&[u8]>,
    ) -> Result<CmsVerifier<'a>, String> {
        let mut v = CmsVerifier {
            ssl,
            store: std::ptr::null_mut(),
            root: std::ptr::null_mut(),
            sm2_id: sm2_id.map(<[u8]>::to_vec),
        };
        v.root = ssl.parse(root)?;
        let l = &ssl.lib;
        // SAFETY: the store is created here and freed in Drop; add_cert takes its own
        // reference; the parameters belong to the store.
        unsafe {
            v.store = (l.X509_STORE_new)();
            if v.store.is_null() || (l.X509_STORE_add_cert)(v.store, v.root) != 1 {
                return Err("cannot set up the X509_STORE".into());
            }
            let param = (l.X509_STORE_get0_param)(v.store);
            if param.is_null() {
                return Err("X509_STORE_get0_param returned NULL".into());
            }
            (l.X509_VERIFY_PARAM_set_time)(param, time);
        }
        Ok(v)
    }

    /// One verification, as a relying party makes it from the file: `d2i_CMS_ContentInfo`
    /// of `der`, the content in a memory BIO, `CMS_verify(.., CMS_BINARY)`, then free.
    pub fn verify(&self, der: &[u8], content: &[u8]) -> Result<(), String> {
        let l = &self.ssl.lib;
        let len = c_long::try_from(der.len()).map_err(|_| "document too large".to_string())?;
        let content_len =
            c_int::try_from(content.len()).map_err(|_| "content too large".to_string())?;
        // SAFETY: every object is created and freed here; d2i reads at most `len` bytes; the
        // memory BIO borrows `content`, which outlives it; CMS_get1_certs returns a stack of
        // up-referenced certificates that we release.
        unsafe {
            let mut p = der.as_ptr();
            let cms = (l.d2i_CMS_ContentInfo)(std::ptr::null_mut(), &mut p, len);
            if cms.is_null() {
                let e = self.error("d2i_CMS_ContentInfo");
                return Err(e);
            }
            if let Some(id) = &self.sm2_id {
                let certs = (l.CMS_get1_certs)(cms);
                if !certs.is_null() {
                    for i in 0..(l.OPENSSL_sk_num)(certs) {
                        let x = (l.OPENSSL_sk_value)(certs, i);
                        let set = self.ssl.set_sm2_id(x, id);
                        (l.X509_free)(x);
                        set?;
                    }
                    (l.OPENSSL_sk_free)(certs);
                }
            }
            let bio = (l.BIO_new_mem_buf)(content.as_ptr().cast(), content_len);
            let result = if bio.is_null() {
                Err("BIO_new_mem_buf failed".to_string())
            } else if (l.CMS_verify)(
                cms,
                std::ptr::null_mut(),
                self.store,
                bio,
                std::ptr::null_mut(),
                CMS_BINARY,
            ) == 1
            {
                Ok(())
            } else {
                Err(self.error("CMS_verify"))
            };
            if !bio.is_null() {
                (l.BIO_free)(bio);
            }
            (l.CMS_ContentInfo_free)(cms);
            result
        }
    }

    /// `what` and the first queued OpenSSL error; clears the queue.
    fn error(&self, what: &str) -> String {
        let l = &self.ssl.lib;
        // SAFETY: ERR_error_string_n writes at most `buf.len()` bytes, NUL-terminated.
        unsafe {
            let code = (l.ERR_get_error)();
            let mut buf = [0 as c_char; 256];
            (l.ERR_error_string_n)(code, buf.as_mut_ptr(), buf.len());
            (l.ERR_clear_error)();
            format!(
                "{what} failed: {}",
                CStr::from_ptr(buf.as_ptr()).to_string_lossy()
            )
        }
    }
}

impl Drop for CmsVerifier<'_> {
    fn drop(&mut self) {
        let l = &self.ssl.lib;
        // SAFETY: both pointers are NULL or owned by this verifier; the frees accept NULL.
        unsafe {
            (l.X509_STORE_free)(self.store);
            (l.X509_free)(self.root);
        }
    }
}
