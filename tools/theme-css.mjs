// Make src/conference_recaps/static/recaps-theme.css: the one theme stylesheet pages load.
//
//   make theme-css      (runs: node tools/theme-css.mjs SITE_PACKAGES OUTPUT)
//
// It is Sphinx's basic.css, pydata-sphinx-theme.css and sphinx-book-theme.css, pruned by
// PurgeCSS, with FontAwesome's rules and fonts left out and the icons the templates name
// drawn as CSS masks of FontAwesome's own SVG paths (so no icon script or font loads).
// Why it is generated here and committed rather than made during the build: building
// the site (Read the Docs, `make html`) then needs no Node.
//
// What is kept: every selector whose classes, ids and elements appear as words in the
// sources that can write HTML on this site: the three themes' templates and scripts
// (bootstrap.js included: it adds classes such as `show` at run time), the HTML writers
// of docutils, Sphinx and MyST-Parser (so an admonition, a table, a footnote or a figure
// in a future recap is still styled), this package's templates, Python and scripts, and
// conf.py. Nothing from the built pages, so the output depends on those packages'
// versions only; the header records them, and a build with other versions warns.
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import fastGlob from "fast-glob";
import { PurgeCSS } from "purgecss";
import postcss from "postcss";
import { minify } from "csso";
import { fas } from "@fortawesome/free-solid-svg-icons";
import { far } from "@fortawesome/free-regular-svg-icons";
import { fab } from "@fortawesome/free-brands-svg-icons";

const [sitePackages, output] = process.argv.slice(2);
if (!sitePackages || !output) {
  console.error("usage: node tools/theme-css.mjs SITE_PACKAGES OUTPUT");
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const pkg = (...parts) => path.join(sitePackages, ...parts);
const pydata = pkg("pydata_sphinx_theme", "theme", "pydata_sphinx_theme");
const book = pkg("sphinx_book_theme", "theme", "sphinx_book_theme");

// The stylesheets, in the order the theme loaded them.
const sources = [
  pkg("sphinx", "themes", "basic", "static", "basic.css.jinja"),
  path.join(pydata, "static", "styles", "pydata-sphinx-theme.css"),
  path.join(book, "static", "styles", "sphinx-book-theme.css"),
];

// The sources whose words keep a selector.
const content = [
  `${pydata}/**/*.html`,
  `${pydata}/static/scripts/bootstrap.js`,
  `${pydata}/static/scripts/pydata-sphinx-theme.js`,
  pkg("pydata_sphinx_theme", "*.py"),
  `${book}/**/*.html`,
  `${book}/static/scripts/sphinx-book-theme.js`,
  pkg("sphinx_book_theme", "**", "*.py"),
  pkg("sphinx", "themes", "basic", "*.html"),
  pkg("sphinx", "writers", "html5.py"),
  pkg("sphinx", "addnodes.py"),
  pkg("sphinx", "builders", "html", "*.py"),
  pkg("sphinx", "domains", "**", "*.py"),
  pkg("sphinx", "util", "nodes.py"),
  pkg("sphinx", "environment", "adapters", "toctree.py"),
  pkg("sphinx", "directives", "*.py"),
  pkg("pygments", "token.py"),
  pkg("docutils", "nodes.py"),
  pkg("docutils", "writers", "_html_base.py"),
  pkg("docutils", "writers", "html5_polyglot", "__init__.py"),
  pkg("docutils", "parsers", "rst", "directives", "*.py"),
  pkg("myst_parser", "**", "*.py"),
  pkg("pygments", "formatters", "html.py"),
  path.join(root, "src", "conference_recaps", "**", "*.{py,html,js}"),
  path.join(root, "conf.py"),
];

function version(distribution) {
  const prefix = distribution.replaceAll("-", "_").toLowerCase() + "-";
  const info = readdirSync(sitePackages).find(
    (name) => name.toLowerCase().startsWith(prefix) && name.endsWith(".dist-info"),
  );
  if (!info) throw new Error(`${distribution} is not installed in ${sitePackages}`);
  return info.slice(prefix.length, -".dist-info".length);
}

// basic.css is a template: Sphinx fills in three widths from the theme's settings,
// the values the book theme's build wrote.
const basicWidths = { sidebarwidth: "230px", body_min_width: "360px", body_max_width: "800px" };
const raw = sources.map((file) =>
  readFileSync(file, "utf8").replace(/{{\s*theme_(\w+)\|todim\s*}}/g, (whole, name) => {
    if (!(name in basicWidths)) throw new Error(`${file}: unknown setting ${whole}`);
    return basicWidths[name];
  }),
);

const isFontAwesome = (selector) => /\.fa[a-z0-9-]*(?![\w-])/.test(selector);

// FontAwesome's stylesheet (its @font-face rules, its icon classes) and nothing else.
const dropFontAwesome = {
  postcssPlugin: "drop-fontawesome",
  AtRule: {
    "font-face": (rule) => {
      if (/Font Awesome/i.test(rule.toString())) rule.remove();
    },
  },
  Rule(rule) {
    const kept = rule.selectors.filter((selector) => !isFontAwesome(selector));
    if (kept.length === 0) rule.remove();
    else if (kept.length !== rule.selectors.length) rule.selectors = kept;
  },
  Declaration(decl) {
    if (decl.prop.startsWith("--fa-") || decl.prop === "--fa") decl.remove();
  },
};

const purged = await new PurgeCSS().purge({
  content,
  css: raw.map((text) => ({ raw: text })),
  // Classes the sources spell with a variable part: Sphinx's toctree-l1, l2...,
  // pydata's logo `only-{{ default_mode }}`, Sphinx's highlight-<language>.
  safelist: { standard: [/^highlight/, /^language-/, /^toctree-l\d+$/, /^only-(light|dark)$/] },
});
let css = "";
for (const result of purged) {
  css += (await postcss([dropFontAwesome]).process(result.css, { from: undefined })).css + "\n";
}

// The icons: every fa-<name> the sources name that FontAwesome has, as a CSS mask.
const words = new Set();
for (const pattern of content) {
  for (const file of fastGlob.sync(pattern)) {
    for (const match of readFileSync(file, "utf8").matchAll(/fa-([a-z0-9-]+)/g)) {
      words.add(match[1]);
    }
  }
}
// The book theme writes `fab fa-{provider}` for the repository's host.
["github", "gitlab", "bitbucket"].forEach((name) => words.add(name));

function findIcon(pack, name) {
  return Object.values(pack).find(
    (icon) => icon.iconName === name || icon.icon[2].includes(name),
  );
}

function mask(icon) {
  const [width, height, , , pathData] = icon.icon;
  const paths = Array.isArray(pathData) ? pathData : [pathData];
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ${width} ${height}'>` +
    paths.map((d) => `<path d='${d}'/>`).join("") +
    "</svg>";
  const data = svg.replace(/</g, "%3C").replace(/>/g, "%3E").replace(/#/g, "%23");
  return `--recaps-icon:url("data:image/svg+xml,${data}");--recaps-icon-width:${+(width / height).toFixed(4)}em`;
}

const iconRules = [];
for (const name of [...words].sort()) {
  const solid = findIcon(fas, name);
  const brand = findIcon(fab, name);
  const regular = findIcon(far, name);
  if (solid || brand) iconRules.push(`.fa-${name}{${mask(solid || brand)}}`);
  if (regular) iconRules.push(`:is(.fa-regular,.far).fa-${name}{${mask(regular)}}`);
}
const iconBase = `
.fa,.fas,.far,.fab,.fa-solid,.fa-regular,.fa-brands{display:inline-block;flex-shrink:0;
  width:var(--recaps-icon-width,1em);height:1em;vertical-align:-.125em;
  background-color:currentColor;-webkit-mask:var(--recaps-icon) center/contain no-repeat;
  mask:var(--recaps-icon) center/contain no-repeat}
.fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.2em}
.fa-fw{width:1.25em}
`;
css += iconBase + iconRules.join("\n");

const minified = minify(css, { restructure: false }).css;
const header = [
  "/* Generated by tools/theme-css.mjs (make theme-css): do not edit. */",
  `/* made from sphinx ${version("sphinx")} */`,
  `/* made from pydata-sphinx-theme ${version("pydata-sphinx-theme")} */`,
  `/* made from sphinx-book-theme ${version("sphinx-book-theme")} */`,
  "/* Sphinx basic.css, pydata-sphinx-theme and sphinx-book-theme: BSD licences;",
  "   Bootstrap: MIT; icons: Font Awesome Free 7 by Fonticons, Inc., CC BY 4.0. */",
].join("\n");
writeFileSync(output, `${header}\n${minified}\n`);
console.log(`${output}: ${Buffer.byteLength(minified)} bytes, ${iconRules.length} icons`);
if (!existsSync(output)) process.exit(1);
