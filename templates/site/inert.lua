-- The site shows a report's text as text: a link or an image written in a narrative must not
-- make the page fetch anything or run anything (file:// pages, no network). Links keep their
-- words, images their description; raw HTML is already off in the Markdown reader.
function Link(el) return el.content end
function Image(el) return el.caption or el.content end
function RawInline(el) return {} end
function RawBlock(el) return {} end
