"""Site selectors (CSS) compiled once to lxml XPath objects, written in the forms libxml2 evaluates fastest.

Every site selector runs over the whole page, and libxml2 pays for each predicate on each element it tests (a
`descendant-or-self::*[...]` over a 200-element page costs 25-40 µs). Two rewrites, each selecting the same elements
in the same (document) order as cssselect's own translation:

- a class test drops cssselect's leading `@class and`, which its `contains(@class, ...)` already implies;
- a step with no element name (`.story_body`, `#news-bodyhtml`, `[id$="_x"]`) starts from the attribute it tests:
  `*/@class[test on .]/parent::*[all the step's tests]`. Only elements that have that attribute are tested (libxml2
  walks attribute nodes far faster than it evaluates a predicate on every element), and every element the step
  selects has that attribute passing that test, so the result is the same. A step with an element name keeps
  cssselect's form, which is faster there.

Anything else (other combinators, pseudo-elements, a bare `*`) is translated by cssselect unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cssselect import HTMLTranslator, parse
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash, Selector, Tree
from cssselect.xpath import XPathExpr, is_non_whitespace, is_safe_name
from lxml import etree

_PREFIX = "descendant-or-self::"


class _Translator(HTMLTranslator):
    def xpath_attrib_includes(self, xpath: XPathExpr, name: str, value: str | None) -> XPathExpr:
        """`[class~=x]` (so `.x`) without cssselect's leading `@class and`: an absent attribute is the empty string,
        which `contains` finds no non-empty value in."""
        if not value or not is_non_whitespace(value):
            return super().xpath_attrib_includes(xpath, name, value)
        xpath.add_condition(f"contains({name}, {self.xpath_literal(value)}) and "
                            f"contains(concat(' ', normalize-space({name}), ' '), {self.xpath_literal(f' {value} ')})")
        return xpath

    def css_to_xpath(self, css: str, prefix: str = _PREFIX) -> str:
        return " | ".join(self._selector_xpath(selector, prefix) for selector in parse(css))

    def _selector_xpath(self, selector: Selector, prefix: str) -> str:
        steps = self.step_xpaths(selector) if prefix == _PREFIX else None
        if steps is None:  # a shape this rewrite does not cover: cssselect's translation as it is
            return self.selector_to_xpath(selector, prefix, translate_pseudo_elements=True)
        return prefix + "/descendant::".join(steps)

    def step_xpaths(self, selector: Selector) -> list[str] | None:
        """The XPath steps of a selector `A B C` (descendant combinators only), to be joined by "/descendant::"
        after "descendant-or-self::"; None for any other shape."""
        steps = _descendant_steps(selector.parsed_tree) if not selector.pseudo_element else None
        if not steps:
            return None
        exprs = [self.xpath(step) for step in steps]
        plain = self.selector_to_xpath(selector, _PREFIX, translate_pseudo_elements=True)
        if _PREFIX + "/descendant::".join(str(e) for e in exprs) != plain:
            return None
        return [self._step_xpath(step, expr) for step, expr in zip(steps, exprs)]

    def _step_xpath(self, step: Tree, expr: XPathExpr) -> str:
        if expr.path or expr.element != "*" or not expr.condition:
            return str(expr)
        axis = self._axis_test(step)
        if axis is None:
            return str(expr)
        attribute, test = axis
        return f"*/@{attribute}[{test}]/parent::*[{expr.condition}]"

    def _axis_test(self, step: Tree) -> tuple[str, str] | None:
        """The step's innermost class, id or attribute test, as (attribute name, the test on the attribute node)."""
        node = step
        found: tuple[str, str] | None = None
        while not isinstance(node, Element):
            if isinstance(node, Class):
                found = "class", self.xpath_attrib_includes(XPathExpr(), ".", node.class_name).condition
            elif isinstance(node, Hash):
                found = self.id_attribute, self.xpath_attrib_equals(XPathExpr(), ".", node.id).condition
            elif isinstance(node, Attrib):
                found = self._attribute_test(node) or found
            node = getattr(node, "selector", None)
            if node is None:
                return None
        return found if found is not None and found[1] and is_safe_name(found[0]) else None

    def _attribute_test(self, attrib: Attrib) -> tuple[str, str] | None:
        if attrib.namespace or attrib.flag:
            return None
        operator = self.attribute_operator_mapping[attrib.operator]
        value = None if attrib.value is None else attrib.value.value
        if value is not None and self.lower_case_attribute_values:
            value = value.lower()
        test = getattr(self, f"xpath_attrib_{operator}")(XPathExpr(), ".", value).condition
        return attrib.attrib.lower() if self.lower_case_attribute_names else attrib.attrib, test


def _descendant_steps(tree: Tree) -> list[Tree] | None:
    """The compound selectors of `A B C` (descendant combinators only), left to right; None for any other shape."""
    steps: list[Tree] = []
    while isinstance(tree, CombinedSelector):
        if tree.combinator != " ":
            return None
        steps.append(tree.subselector)
        tree = tree.selector
    steps.append(tree)
    return steps[::-1]


@lru_cache(maxsize=1024)
def css_xpath(css: str) -> etree.XPath:
    """A CSS selector compiled once to an lxml XPath (parsel would translate and compile it on every call)."""
    return _xpath(_Translator().css_to_xpath(css))


@dataclass(frozen=True)
class CompiledSelector:
    """A CSS selector as XPath; for a selector `A B ...`, also its head `A` (as XPath from the page's root) and the
    rest `B ...` (as XPath from one element `A` selected)."""

    xpath: etree.XPath
    head: str | None = None
    rest: etree.XPath | None = None


@lru_cache(maxsize=1024)
def compile_css(css: str) -> CompiledSelector:
    translator = _Translator()
    xpath = _xpath(translator.css_to_xpath(css))
    selectors = parse(css)
    steps = translator.step_xpaths(selectors[0]) if len(selectors) == 1 else None
    if steps is None or len(steps) < 2:
        return CompiledSelector(xpath)
    return CompiledSelector(xpath, _PREFIX + steps[0], _xpath("descendant::" + "/descendant::".join(steps[1:])))


@lru_cache(maxsize=1024)
def _head_xpath(xpath: str) -> etree.XPath:
    return _xpath(xpath)


def _xpath(expression: str) -> etree.XPath:
    """Compiled without the EXSLT regular-expression functions (cssselect never writes them), which lxml would
    otherwise register for every evaluation."""
    return etree.XPath(expression, regexp=False)


class PageSelector:
    """A site's selectors evaluated on one page. A site's selectors often open with the same element (the article
    box: "div.news-detail h1.news-title", "div.news-detail div.news-content", ...): that head is looked for once
    over the whole page, and when it is one element, each selector's rest is evaluated inside it alone, which
    selects the same elements in the same order. (With several heads, the whole selector runs, as their results
    could interleave.)"""

    def __init__(self, root: etree._Element):
        self.root = root
        self._heads: dict[str, list[Any]] = {}

    def select(self, css: str) -> list[Any]:
        compiled = compile_css(css)
        if compiled.head is None or compiled.rest is None:
            return compiled.xpath(self.root)
        heads = self._heads.get(compiled.head)
        if heads is None:
            heads = self._heads[compiled.head] = _head_xpath(compiled.head)(self.root)
        if len(heads) == 1:
            return compiled.rest(heads[0])
        return compiled.xpath(self.root) if heads else []
