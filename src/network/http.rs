//! URLs as wget and curl split them, and what the HTTP servers podlab knows answer.

/// `http://host[:port][/path]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub host: String,
    pub port: i64,
    pub path: String,
}

/// Split a URL; a URL without a scheme is taken as http, as both clients do.
pub fn parse_url(url: &str) -> Option<Url> {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    if rest.contains("://") {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 80),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url {
        host: host.to_string(),
        port,
        path: path.to_string(),
    })
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// nginx 1.27's default `/usr/share/nginx/html/index.html` (615 bytes).
pub const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx's built-in error page (src/http/ngx_http_special_response.c): the status page
/// (`ngx_http_error_404_page`...) then `ngx_http_error_full_tail` (`<hr><center>` NGINX_VER,
/// `nginx/1.27.5`) or, with `server_tokens off` as ingress-nginx's nginx.tmpl sets it,
/// `ngx_http_error_tail` (`<hr><center>nginx</center>`), every line ending CRLF; no MSIE
/// padding for wget or curl (it is added only for MSIE and Chrome user agents).
pub fn nginx_error_page(status: u16, server: &str) -> String {
    let reason = reason_phrase(status);
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
    )
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        _ => "",
    }
}

/// What a web server image answers for `path`: nginx serves its welcome page at `/` and
/// `/index.html`, and its 404 page elsewhere.
pub fn serve(image: &str, path: &str) -> Response {
    let path = path.split('?').next().unwrap_or("/");
    let name = image
        .rsplit('/')
        .next()
        .and_then(|n| n.split(':').next())
        .unwrap_or_default();
    match (name, path) {
        ("httpd", "/" | "/index.html") => Response {
            status: 200,
            body: "<html><body><h1>It works!</h1></body></html>\n".into(),
        },
        (_, "/" | "/index.html") => Response {
            status: 200,
            body: NGINX_WELCOME.into(),
        },
        _ => Response {
            status: 404,
            body: nginx_error_page(404, "nginx/1.27.5"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_default_to_port_80_and_root() {
        assert_eq!(
            parse_url("http://web/"),
            Some(Url {
                host: "web".into(),
                port: 80,
                path: "/".into()
            })
        );
        let u = parse_url("web.default:8080/api").unwrap_or_else(|| panic!("parses"));
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("web.default", 8080, "/api")
        );
        assert_eq!(parse_url("https://web/"), None);
    }

    #[test]
    fn the_welcome_page_is_nginx_s_615_bytes() {
        assert_eq!(NGINX_WELCOME.len(), 615);
        assert_eq!(serve("nginx:1.27", "/").status, 200);
        assert_eq!(serve("nginx:1.27", "/missing").status, 404);
    }
}
