from django.contrib.auth.views import redirect_to_login
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .caching import POPULAR_TAGS, cached
from .forms import CommentForm
{%- if cookiecutter.use_service_layer %}
from .selectors import post_detail_queryset, post_list, tag_popular
from .services import comment_create
{%- else %}
from .models import Post, Tag
{%- endif %}

PAGE_SIZE = 20


def posts(request: HttpRequest) -> HttpResponse:
    """Published posts, newest first, optionally for one tag, a page at a time.

    A page number past the end, one that is not a number, and a tag with no
    published posts are a 404, as in Django's ListView: only pages that exist
    answer 200, so only they reach the page cache.
    """
    tag = request.GET.get("tag") or None
{%- if cookiecutter.use_service_layer %}
    published = post_list(tag=tag)
{%- else %}
    published = Post.objects.for_list(tag=tag)
{%- endif %}
    paginator = Paginator(published, PAGE_SIZE, allow_empty_first_page=tag is None)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
{%- if cookiecutter.use_service_layer %}
    popular_tags = cached(POPULAR_TAGS, tag_popular)
{%- else %}
    popular_tags = cached(POPULAR_TAGS, Tag.objects.popular)
{%- endif %}
    return render(
        request,
        "blog/post_list.html",
        {"page": page, "tag": tag, "popular_tags": popular_tags},
    )


def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One post with its comments; logged-in users can add one."""
{%- if cookiecutter.use_service_layer %}
    post = get_object_or_404(post_detail_queryset(), slug=slug)
{%- else %}
    post = get_object_or_404(Post.objects.for_detail(), slug=slug)
{%- endif %}
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
{%- if cookiecutter.use_service_layer %}
            comment_create(
                post=post, author=request.user, body=form.cleaned_data["body"]
            )
{%- else %}
            form.instance.post = post
            form.instance.author = request.user
            form.save()
{%- endif %}
            return redirect("blog:post", slug=post.slug)
    return render(request, "blog/post_detail.html", {"post": post, "form": form})
