"""A visitor reads the example app: the list, a tag, a post."""

from playwright.sync_api import Page, expect

from ..integration.blog import make_posts


def test_a_visitor_goes_from_the_list_to_a_tag_to_a_post(page: Page, live_server):
    make_posts(3)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Posts").click()
    expect(page.get_by_role("heading", name="Posts", exact=True)).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(3)

    page.get_by_role("link", name="#caching").first.click()
    expect(page.get_by_role("heading", name="Posts tagged “caching”")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(2)

    page.get_by_role("link", name="Post 1").click()
    expect(page.get_by_role("heading", name="Post 1")).to_be_visible()
    expect(page.get_by_text("Comment 0")).to_be_visible()
