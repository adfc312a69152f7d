"""What the bot suite's robots write: comment spam as it reaches French blogs (pharmacy, casino, loans, link selling, praise with a link), in French and English, generated from a seed.

Written after the kinds the old site's filter caught, not after our rules: most carry one
or two links (the payload), a name and a website; some hide their link in HTML or BBCode
markup, a few only praise the chronicle and leave the link in the website field. Nothing
here is ever contacted: the domains are made up, on ``.example`` or behind a shortener.
"""

import random
from dataclasses import dataclass

_SHOPS = ("pharma-discount24", "meds-express-online", "pilules-france", "bestpills-shop", "sante-direct-achat")
_DRUGS = ("viagra", "cialis", "levitra", "tramadol", "xanax", "modafinil")
_CASINOS = ("lucky-spin-casino", "jackpot-royal", "mega-bonus-slots", "casino-en-ligne-fr", "roulette-vip")
_SEO = ("seo-boost-agency", "backlinks-premium", "rank-first-google", "referencement-pro", "top-annuaire-web")
_LOANS = ("pret-express-24h", "credit-sans-justificatif", "payday-cash-now", "rachat-credit-facile")
_SHOPS_MISC = ("replica-watches-store", "cheap-sneakers-outlet", "sac-luxe-pas-cher", "followers-instagram-fr")
_SHORTENERS = ("bit.ly", "tinyurl.com", "cutt.ly", "is.gd")
_NAMES = ("Mike Johnson", "Sarah Miller", "Jean Dupont", "Marie L.", "Kevin", "Best Deals", "Julie Martin",
          "Pharmacie en ligne", "Casino Bonus", "SEO Expert", "Anna", "Thomas B.", "Olga", "David Smith")
_SUBJECTS = ("l’économie locale", "la coopération", "le travail indépendant", "la confiance", "les artisans")

_TEMPLATES = {
    "pharma": (
        "Acheter {drug} en ligne sans ordonnance, livraison discrète en 48 h et prix le plus bas garanti : {link}",
        "Buy {drug} online without prescription, cheapest price, fast worldwide shipping: {link}",
        "Bonjour, je recommande cette pharmacie en ligne pour le {drug} générique, très sérieuse : {link} "
        "et aussi {link2}",
        "Generic {drug} 100mg from $0.99 per pill. Order now {link}",
    ),
    "casino": (
        "Meilleur casino en ligne 2026 : 200 tours gratuits et bonus de bienvenue de 500 € sur {link}",
        "Best online casino bonus, free spins every day and a huge jackpot waiting for you: {link}",
        "J’ai gagné le jackpot hier sur {link}, essayez vous aussi, le poker et la roulette sont offerts !",
        "Play slots and poker for real money, instant withdrawal: {link} {link2}",
    ),
    "seo": (
        "Super article ! Pour booster votre référencement, nos backlinks de qualité vous placent en première "
        "page de Google : {link}",
        "Nice post. We offer high quality SEO services and dofollow backlinks, guaranteed page one on Google. {link}",
        "Merci pour ce partage. Découvrez notre annuaire web gratuit pour votre site : {link}",
        "Great content! I will share it with my followers. Visit my blog too: {link}",
    ),
    "loan": (
        "Besoin d’argent rapidement ? Prêt entre particuliers sans justificatif, réponse en 24 h : {link}",
        "Fast payday loans with no credit check, money in your account today: {link}",
        "Rachat de crédit facile et sans frais, simulation gratuite sur {link}",
    ),
    "shop": (
        "Montres replica de luxe à prix d’usine, livraison gratuite : {link}",
        "Cheap replica watches and designer bags, 90% off today only {link}",
        "Achetez des followers Instagram réels et actifs, résultats garantis en une heure : {link}",
    ),
    "markup": (
        '<a href="{url}">{anchor}</a> <a href="{url2}">{anchor}</a>',
        "[url={url}]{anchor}[/url] [url={url2}]{anchor}[/url]",
        'Très bon article, merci. <a href="{url}">{anchor}</a>',
        "Thanks for the info! [url={url}]{anchor}[/url]",
    ),
    "praise": (
        "Très bel article, merci pour ce partage sur {subject}, j’ai appris beaucoup de choses.",
        "Great article, very informative. Thanks for sharing, I bookmarked your site!",
        "Merci pour cette chronique, je partage totalement votre avis sur {subject}. Bonne continuation !",
        "I really like your writing style, keep up the good work. Regards.",
    ),
}
_ANCHORS = ("cheap viagra", "casino en ligne", "best payday loans", "acheter cialis", "backlinks pas chers",
            "replica watches", "click here", "voir ici")
_DOMAINS_BY_THEME = {"pharma": _SHOPS, "casino": _CASINOS, "seo": _SEO, "loan": _LOANS, "shop": _SHOPS_MISC}


@dataclass(frozen=True)
class Spam:
    theme: str
    author: str
    email: str
    website: str
    text: str


def _url(rng, theme):
    if rng.random() < 0.15:
        return f"https://{rng.choice(_SHORTENERS)}/{rng.randrange(36 ** 6):x}"
    domain = rng.choice(_DOMAINS_BY_THEME.get(theme) or sum(_DOMAINS_BY_THEME.values(), ()))
    path = rng.choice(("", "fr/", "offre/", "?ref=" + str(rng.randrange(10 ** 5))))
    return f"https://www.{domain}.example/{path}"


def spam(rng, tag):
    """One spam comment; ``tag`` goes into the e-mail address, so that each post can be found again."""
    theme = rng.choice(tuple(_TEMPLATES))
    template = rng.choice(_TEMPLATES[theme])
    url_theme = theme if theme in _DOMAINS_BY_THEME else rng.choice(tuple(_DOMAINS_BY_THEME))
    url, url2 = _url(rng, url_theme), _url(rng, url_theme)
    text = template.format(drug=rng.choice(_DRUGS), link=url, link2=url2, url=url, url2=url2,
                           anchor=rng.choice(_ANCHORS), subject=rng.choice(_SUBJECTS))
    author = rng.choice(_NAMES)
    local = "".join(c for c in author.lower() if c.isascii() and c.isalpha())[:12] or "contact"
    mail_domain = rng.choice(("gmail.com", "outlook.fr", "yahoo.com", "mail.ru", url_theme + "-mail.example"))
    # Spam bots fill the website field nearly always: it is the link they are paid for.
    website = _url(rng, url_theme) if rng.random() < 0.9 else ""
    return Spam(theme, author, f"{local}.{tag}@{mail_domain}", website, text)


def spams(count, seed, tag):
    """``count`` spam comments from ``seed``, e-mail addresses tagged ``tag-0``, ``tag-1``…"""
    rng = random.Random(seed)
    return [spam(rng, f"{tag}-{n}") for n in range(count)]
