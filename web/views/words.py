"""The words of the graph viewer's and the cluster views' own frame in Spanish and Russian.

web.i18n holds the catalog and chooses the language; these entries join it when the views'
blueprints are registered, so each page family keeps its own words next to its templates.
Data (labels, comments) is never translated here, only the page around it.
"""

from __future__ import annotations

from .. import i18n

WORDS: dict[str, dict[str, str]] = {
    "es": {
        "A knowledge graph of regional audiovisual clusters: who the actors are, how they are tied, who is responsible for which competency, what flows between them, and how each cluster develops. Every fact cites its source.":
            "Un grafo de conocimiento de los clústeres audiovisuales regionales: quiénes son los actores, cómo se vinculan, quién se ocupa de cada competencia, qué fluye entre ellos y cómo evoluciona cada clúster. Cada dato cita su fuente.",
        "Actor": "Actor", "Actor types": "Tipos de actor", "Actors and competencies": "Actores y competencias",
        "Actors by type": "Actores por tipo", "All actors": "Todos los actores", "Amount": "Importe",
        "Audiovisual clusters": "Clústeres audiovisuales", "Band width: number of flows.": "Ancho de banda: número de flujos.",
        "Betweenness estimated from sampled sources": "Intermediación estimada a partir de fuentes muestreadas",
        "Brokers": "Intermediarios", "By kind": "Por tipo", "By sector": "Por sector", "By year": "Por año",
        "Changes of hands": "Cambios de responsable",
        "Click a node or a tie for its details.": "Haga clic en un nodo o un vínculo para ver sus detalles.",
        "Cluster": "Clúster", "Clusters": "Clústeres", "Communities": "Comunidades", "Community": "Comunidad",
        "Dark bars: leads; light bars: contributors; faded bars have an open start or end (no date stated).":
            "Barras oscuras: responsables; claras: colaboradores; las atenuadas no tienen inicio o fin declarado.",
        "Data sources": "Fuentes de datos", "Dissolved": "Disuelto",
        "Each dataset is loaded into its own named graph; what the loader derives goes to a separate graph, never mixed with what the sources state.":
            "Cada conjunto de datos se carga en su propio grafo con nombre; lo que deriva el cargador va a un grafo aparte, nunca mezclado con lo que dicen las fuentes.",
        "End": "Fin", "Ended ties by year": "Vínculos terminados por año", "Error": "Error",
        "Every required competency has a lead.": "Cada competencia requerida tiene un responsable.",
        "Filters": "Filtros", "Flows by kind": "Flujos por tipo", "Flows by year": "Flujos por año", "Founded": "Fundado",
        "From": "De", "From which kind of actor to which": "De qué tipo de actor a cuál", "Gaps": "Vacíos",
        "Group by": "Agrupar por", "Groups": "Grupos", "Information passes through": "La información pasa por",
        "Information, money and material passing between actors, each flow with its year and source.":
            "Información, dinero y material que pasan entre actores, cada flujo con su año y su fuente.",
        "Kind": "Tipo", "Life cycle": "Ciclo de vida",
        "More actors than can be drawn at once: each node is a group of actors, ties summed. Double-click a group, or open it from its details, to see its actors.":
            "Hay más actores de los que se pueden dibujar a la vez: cada nodo es un grupo de actores, con los vínculos sumados. Haga doble clic en un grupo, o ábralo desde sus detalles, para ver sus actores.",
        "Most central actors": "Actores más centrales", "Named graph": "Grafo con nombre",
        "No cluster in the store yet.": "Todavía no hay ningún clúster en el almacén.", "No flows.": "No hay flujos.",
        "On many shortest paths, with a loose network of their own (low constraint).":
            "En muchos caminos más cortos, con una red propia poco cerrada (baja restricción).",
        "Open its page": "Abrir su página", "Open this group": "Abrir este grupo", "Over time": "En el tiempo",
        "Overlaps": "Solapamientos", "Physics (let the layout move)": "Física (dejar que la disposición se mueva)",
        "Public–private": "Público–privado", "Public–private bridges": "Puentes público–privados", "Region": "Región",
        "Search": "Buscar", "Sector": "Sector", "Show": "Mostrar", "Showing": "Mostrando", "Size by": "Tamaño según",
        "Start": "Inicio", "Start again": "Volver a empezar", "Strength": "Intensidad",
        "The five factors that shape a region’s prospects, side by side: the latest figure for each, with its year and source. A figure for an indicator counts for the factor it stands for.":
            "Los cinco factores que determinan las perspectivas de una región, lado a lado: el dato más reciente de cada uno, con su año y su fuente. El dato de un indicador cuenta para el factor que representa.",
        "The network of actors and ties": "La red de actores y vínculos", "Ties": "Vínculos", "Ties by kind": "Vínculos por tipo",
        "To": "A", "Type": "Tipo", "Views": "Vistas",
        "Who leads and who contributes to each competency the cluster needs, and when. An overlap is two actors leading one competency in periods that meet; a gap is a required competency that nobody leads.":
            "Quién dirige y quién colabora en cada competencia que necesita el clúster, y cuándo. Un solapamiento son dos actores que dirigen una competencia en periodos que coinciden; un vacío es una competencia requerida que nadie dirige.",
        "Year": "Año", "a name": "un nombre", "actors": "actores", "all regions": "todas las regiones",
        "all years": "todos los años", "amount": "importe", "analyst questions and SPARQL": "preguntas de analista y SPARQL",
        "as of": "a", "asserted": "declarado", "average degree": "grado medio", "betweenness": "intermediación",
        "brokers, communities, ties, life cycle": "intermediarios, comunidades, vínculos, ciclo de vida",
        "clusters": "clústeres", "communities": "comunidades", "community": "comunidad",
        "competency gaps / overlaps": "vacíos / solapamientos de competencias", "components": "componentes",
        "constraint": "restricción", "contributor": "colaborador", "count": "número", "current": "vigentes",
        "degree": "grado", "density": "densidad", "differs": "difiere", "ended": "terminados", "file": "archivo",
        "flows": "flujos", "founded": "fundado", "from": "de", "gap": "vacío", "groups": "grupos", "in": "en",
        "inferred": "derivado", "information, money and material between actors": "información, dinero y material entre actores",
        "isolated actors": "actores aislados", "kind": "tipo", "largest": "el mayor", "lead": "responsable",
        "loaded": "cargado", "mean age": "edad media", "members": "miembros", "modularity": "modularidad",
        "most connected members": "miembros más conectados", "no figure": "sin dato", "no match": "sin resultados",
        "no year": "sin año", "none": "ninguno", "observations": "observaciones", "out": "salida", "overlap": "solapamiento",
        "pagerank": "PageRank", "policy measures": "medidas de política", "possible": "posible", "private": "privado",
        "private contacts": "contactos privados", "private–private": "privado–privado", "projects": "proyectos",
        "public": "público", "public contacts": "contactos públicos", "public–public": "público–público",
        "reciprocity": "reciprocidad", "regions": "regiones", "relationships": "relaciones", "size": "tamaño",
        "sources": "fuentes", "sources cited": "fuentes citadas", "stated stage": "etapa declarada",
        "the evidence suggests": "lo que sugieren los datos",
        "the five success factors side by side": "los cinco factores de éxito lado a lado",
        "the network drawn, filtered by type, kind, region and year": "la red dibujada, filtrada por tipo, vínculo, región y año",
        "ties": "vínculos", "ties inside": "vínculos internos", "to": "a", "triples": "tripletas", "type": "tipo",
        "unknown": "desconocido", "who leads what, when; overlaps and gaps": "quién dirige qué y cuándo; solapamientos y vacíos",
        "years": "años",
    },
    "ru": {
        "A knowledge graph of regional audiovisual clusters: who the actors are, how they are tied, who is responsible for which competency, what flows between them, and how each cluster develops. Every fact cites its source.":
            "Граф знаний региональных аудиовизуальных кластеров: кто в них участвует, как участники связаны, кто отвечает за какую компетенцию, какие потоки идут между ними и как развивается каждый кластер. У каждого факта указан источник.",
        "Actor": "Участник", "Actor types": "Типы участников", "Actors and competencies": "Участники и компетенции",
        "Actors by type": "Участники по типам", "All actors": "Все участники", "Amount": "Сумма",
        "Audiovisual clusters": "Аудиовизуальные кластеры", "Band width: number of flows.": "Ширина полосы: число потоков.",
        "Betweenness estimated from sampled sources": "Посредничество оценено по выборке источников",
        "Brokers": "Посредники", "By kind": "По видам", "By sector": "По секторам", "By year": "По годам",
        "Changes of hands": "Смена ответственных",
        "Click a node or a tie for its details.": "Щёлкните по узлу или связи, чтобы увидеть подробности.",
        "Cluster": "Кластер", "Clusters": "Кластеры", "Communities": "Сообщества", "Community": "Сообщество",
        "Dark bars: leads; light bars: contributors; faded bars have an open start or end (no date stated).":
            "Тёмные полосы — ответственные, светлые — участники; бледные — без указанного начала или конца.",
        "Data sources": "Источники данных", "Dissolved": "Ликвидирован",
        "Each dataset is loaded into its own named graph; what the loader derives goes to a separate graph, never mixed with what the sources state.":
            "Каждый набор данных загружается в свой именованный граф; выведенное загрузчиком хранится отдельно и не смешивается с тем, что утверждают источники.",
        "End": "Конец", "Ended ties by year": "Прекращённые связи по годам", "Error": "Ошибка",
        "Every required competency has a lead.": "У каждой требуемой компетенции есть ответственный.",
        "Filters": "Фильтры", "Flows by kind": "Потоки по видам", "Flows by year": "Потоки по годам", "Founded": "Основан",
        "From": "От", "From which kind of actor to which": "От какого типа участников к какому", "Gaps": "Пробелы",
        "Group by": "Группировать по", "Groups": "Группы", "Information passes through": "Информация проходит через",
        "Information, money and material passing between actors, each flow with its year and source.":
            "Информация, деньги и материальные ресурсы между участниками; у каждого потока указаны год и источник.",
        "Kind": "Вид", "Life cycle": "Жизненный цикл",
        "More actors than can be drawn at once: each node is a group of actors, ties summed. Double-click a group, or open it from its details, to see its actors.":
            "Участников больше, чем можно нарисовать сразу: каждый узел — группа участников, связи суммированы. Дважды щёлкните по группе или откройте её из подробностей, чтобы увидеть участников.",
        "Most central actors": "Самые центральные участники", "Named graph": "Именованный граф",
        "No cluster in the store yet.": "В хранилище пока нет кластеров.", "No flows.": "Потоков нет.",
        "On many shortest paths, with a loose network of their own (low constraint).":
            "На многих кратчайших путях, с неплотной собственной сетью (низкая стеснённость).",
        "Open its page": "Открыть страницу", "Open this group": "Открыть группу", "Over time": "Во времени",
        "Overlaps": "Пересечения", "Physics (let the layout move)": "Физика (укладка может двигаться)",
        "Public–private": "Государственно-частные", "Public–private bridges": "Мосты между государством и бизнесом",
        "Region": "Регион", "Search": "Поиск", "Sector": "Сектор", "Show": "Показать", "Showing": "Показано",
        "Size by": "Размер по", "Start": "Начало", "Start again": "Начать заново", "Strength": "Сила",
        "The five factors that shape a region’s prospects, side by side: the latest figure for each, with its year and source. A figure for an indicator counts for the factor it stands for.":
            "Пять факторов, определяющих перспективы региона, рядом: последнее значение по каждому, с годом и источником. Значение показателя учитывается для фактора, который он представляет.",
        "The network of actors and ties": "Сеть участников и связей", "Ties": "Связи", "Ties by kind": "Связи по видам",
        "To": "К", "Type": "Тип", "Views": "Разделы",
        "Who leads and who contributes to each competency the cluster needs, and when. An overlap is two actors leading one competency in periods that meet; a gap is a required competency that nobody leads.":
            "Кто отвечает за каждую нужную кластеру компетенцию и кто в ней участвует, и когда. Пересечение — два ответственных за одну компетенцию в совпадающие периоды; пробел — требуемая компетенция без ответственного.",
        "Year": "Год", "a name": "название", "actors": "участников", "all regions": "все регионы", "all years": "все годы",
        "amount": "сумма", "analyst questions and SPARQL": "вопросы аналитика и SPARQL", "as of": "на",
        "asserted": "заявленные", "average degree": "средняя степень", "betweenness": "посредничество",
        "brokers, communities, ties, life cycle": "посредники, сообщества, связи, жизненный цикл",
        "clusters": "кластеров", "communities": "сообществ", "community": "сообществу",
        "competency gaps / overlaps": "пробелы / пересечения компетенций", "components": "компонент",
        "constraint": "стеснённость", "contributor": "участник", "count": "число", "current": "действующие",
        "degree": "степень", "density": "плотность", "differs": "расходится", "ended": "прекращённые", "file": "файл",
        "flows": "потоков", "founded": "основан", "from": "от", "gap": "пробел", "groups": "групп", "in": "в",
        "inferred": "выведенные", "information, money and material between actors": "информация, деньги и ресурсы между участниками",
        "isolated actors": "изолированных участников", "kind": "вид", "largest": "крупнейшая", "lead": "ответственный",
        "loaded": "загружено", "mean age": "средний возраст", "members": "участники", "modularity": "модулярность",
        "most connected members": "самые связанные участники", "no figure": "нет данных", "no match": "ничего не найдено",
        "no year": "без года", "none": "нет", "observations": "наблюдений", "out": "исходящие", "overlap": "пересечение",
        "pagerank": "PageRank", "policy measures": "мер политики", "possible": "возможно", "private": "частный",
        "private contacts": "частные контакты", "private–private": "частные–частные", "projects": "проектов",
        "public": "государственный", "public contacts": "государственные контакты", "public–public": "государственные–государственные",
        "reciprocity": "взаимность", "regions": "регионов", "relationships": "отношений", "size": "размер",
        "sources": "источников", "sources cited": "цитируемые источники", "stated stage": "заявленная стадия",
        "the evidence suggests": "что говорят данные",
        "the five success factors side by side": "пять факторов успеха рядом",
        "the network drawn, filtered by type, kind, region and year": "сеть на схеме с фильтрами по типу, виду, региону и году",
        "ties": "связей", "ties inside": "внутренних связей", "to": "к", "triples": "триплетов", "type": "типу",
        "unknown": "неизвестно", "who leads what, when; overlaps and gaps": "кто за что отвечает и когда; пересечения и пробелы",
        "years": "лет",
    },
}


def register() -> None:
    """Add these words to web.i18n's catalog, without replacing any it already has (idempotent)."""
    for lang, words in WORDS.items():
        catalog = i18n.CATALOG.setdefault(lang, {})
        for english, translated in words.items():
            catalog.setdefault(english, translated)
